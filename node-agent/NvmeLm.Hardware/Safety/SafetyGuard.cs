using System.Globalization;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Steps;

namespace NvmeLm.Hardware.Safety;

/// <summary>
/// The checks every reconfiguring step makes before its first write (DESIGN §5 safety): the PF is
/// selected by the caller; no namespace of the PF or of an affected VF is mounted or held; no affected VF's
/// VFIO group is open. Each failure is a <see cref="HardwareRefusedException"/> naming the device and the user.
/// </summary>
public sealed class SafetyGuard
{
    private const string DevVfio = "/dev/vfio";
    private readonly IHostFileSystem _files;
    private readonly SriovSysfs _sysfs;
    private readonly NamespaceUsage _namespaces;
    private readonly OpenDeviceScanner _openDevices;

    public SafetyGuard(IHostFileSystem files, SriovSysfs sysfs)
    {
        _files = files;
        _sysfs = sysfs;
        _namespaces = new NamespaceUsage(files, sysfs);
        _openDevices = new OpenDeviceScanner(files);
    }

    /// <summary>Before changing PF-wide state (autoprobe, numvfs): the PF and every existing VF must be idle.</summary>
    public void EnsurePfMayBeReconfigured(SafetyPolicy policy, PfSnapshot pf)
    {
        policy.EnsureSelected(pf.Pf);
        EnsureNoFilesystem(pf.Pf, "PF");
        foreach (VirtualFunction vf in pf.Vfs)
        {
            EnsureVfIdle(pf.Pf, vf);
        }
    }

    /// <summary>Before changing one VF (binding, offline, state): the VF must be idle.</summary>
    public void EnsureVfMayBeReconfigured(SafetyPolicy policy, PciAddress pf, VirtualFunction vf)
    {
        policy.EnsureSelected(pf);
        EnsureVfIdle(pf, vf);
    }

    /// <summary>The device nodes through which a VMM would hold <paramref name="vf"/>: the group node and any VFIO cdev.</summary>
    public IReadOnlyList<string> VfioNodes(VirtualFunction vf)
    {
        var nodes = new List<string>();
        if (vf.IommuGroup is int group)
        {
            string number = group.ToString(CultureInfo.InvariantCulture);
            nodes.Add($"{DevVfio}/{number}");
            nodes.Add($"{DevVfio}/noiommu-{number}");
        }

        nodes.AddRange(_sysfs.VfioCdevs(vf.Address));
        return nodes;
    }

    private void EnsureVfIdle(PciAddress pf, VirtualFunction vf)
    {
        EnsureNoFilesystem(vf.Address, $"VF (virtfn{vf.Index} of PF {pf})");
        IReadOnlyList<string> nodes = VfioNodes(vf);
        IReadOnlyList<int> holders = _openDevices.FindHolders(nodes);
        if (holders.Count > 0)
        {
            throw new HardwareRefusedException(RefusalReason.InUseByVmm,
                $"VF {vf.Address} (virtfn{vf.Index} of PF {pf}) has its VFIO group open by PID {string.Join(", ", holders)} (a VMM is using it); refusing to reconfigure it");
        }
    }

    private void EnsureNoFilesystem(PciAddress device, string what)
    {
        IReadOnlyList<string> uses = _namespaces.FindUses(device);
        if (uses.Count > 0)
        {
            throw new HardwareRefusedException(RefusalReason.InUseByFilesystem,
                $"{what} {device} has a namespace in use ({string.Join("; ", uses)}); refusing to reconfigure it");
        }
    }
}
