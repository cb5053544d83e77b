using System.Globalization;

namespace NvmeLm.Hardware.Emulated;

// The emulated file tree (reference §1 layout): each directory's entries are computed from the hardware state.
//   /sys/bus/pci/devices/<bdf>            -> ../../../devices/pciDDDD:BB/<bdf>
//   /sys/bus/pci/drivers/<drv>/{bind,unbind,<bdf> -> ../../../../devices/…}
//   /sys/bus/pci/drivers_probe
//   /sys/devices/pciDDDD:BB/<bdf>/…       device attributes (EmulatedHost.Attributes.cs)
//   /sys/kernel/iommu_groups/<n>/devices/<bdf> -> ../../../../devices/…
//   /dev/nvmeN, /dev/nvmeNnM, /dev/vfio/{vfio,<group>}, /proc/mounts, /proc/<pid>/fd/<n> -> /dev/…
public sealed partial class EmulatedHost
{
    private static readonly Dictionary<string, EmulatedNode> s_noChildren = [];

    // The directories whose entries never change; shared, never mutated (like s_noChildren).
    private static readonly Dictionary<string, EmulatedNode> s_rootDirectory = Dirs("sys", "dev", "proc");
    private static readonly Dictionary<string, EmulatedNode> s_sysDirectory = Dirs("bus", "devices", "kernel");
    private static readonly Dictionary<string, EmulatedNode> s_sysBusDirectory = Dirs("pci");
    private static readonly Dictionary<string, EmulatedNode> s_sysKernelDirectory = Dirs("iommu_groups");

    private Dictionary<string, EmulatedNode> Children(string canonical)
    {
        string[] s = canonical.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return s switch
        {
            [] => s_rootDirectory,
            ["sys"] => s_sysDirectory,
            ["sys", "bus"] => s_sysBusDirectory,
            ["sys", "bus", "pci"] => BusPci(),
            ["sys", "bus", "pci", "devices"] => AllFunctions.ToDictionary(
                f => f.Address.ToString(), f => EmulatedNode.Link($"../../../devices/{f.RootName}/{f.Address}")),
            ["sys", "bus", "pci", "drivers"] => _drivers.Keys.ToDictionary(d => d, _ => EmulatedNode.Directory),
            ["sys", "bus", "pci", "drivers", var driver] when _drivers.ContainsKey(driver) => DriverDirectory(driver),
            ["sys", "devices"] => AllFunctions.Select(f => f.RootName).Distinct().ToDictionary(r => r, _ => EmulatedNode.Directory),
            ["sys", "devices", var root] => AllFunctions.Where(f => f.RootName == root).ToDictionary(f => f.Address.ToString(), _ => EmulatedNode.Directory),
            ["sys", "devices", var root, var bdf, .. var rest] when FunctionUnder(root, bdf) is { } function => DeviceChildren(function, rest),
            ["sys", "kernel"] => s_sysKernelDirectory,
            ["sys", "kernel", "iommu_groups"] => UsedIommuGroups().ToDictionary(g => Num(g), _ => EmulatedNode.Directory),
            ["sys", "kernel", "iommu_groups", var group] when UsedIommuGroups().Any(g => Num(g) == group) => Dirs("devices"),
            ["sys", "kernel", "iommu_groups", var group, "devices"] => AllFunctions.Where(f => f.IommuGroup is int g && Num(g) == group)
                .ToDictionary(f => f.Address.ToString(), f => EmulatedNode.Link($"../../../../devices/{f.RootName}/{f.Address}")),
            ["dev"] => DevDirectory(),
            ["dev", "vfio"] when HasVfioDriver => VfioDevDirectory(),
            ["proc"] => ProcDirectory(),
            ["proc", var pid] when _processes.ContainsKey(pid) => Dirs("fd"),
            ["proc", var pid, "fd"] when _processes.TryGetValue(pid, out var fds) =>
                fds.ToDictionary(kv => Num(kv.Key), kv => EmulatedNode.Link(kv.Value)),
            _ => s_noChildren,
        };
    }

    /// <summary>
    /// One entry of a directory: the same answer as <see cref="Children"/>, without listing the directory where a
    /// device path names its function directly. Every sysfs read resolves <c>/sys/bus/pci/devices/&lt;bdf&gt;</c> and
    /// <c>/sys/devices/&lt;root&gt;/&lt;bdf&gt;</c>; listing every function for each read was about 40% of a 100-node demo's CPU (dotnet-trace),
    /// and then building the device directory for each attribute read a fifth (perf).
    /// </summary>
    private bool TryGetChild(string canonical, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EmulatedNode? child)
    {
        const string busDevices = "/sys/bus/pci/devices";
        const string devices = "/sys/devices";
        const string devicesPrefix = devices + "/";
        switch (canonical)
        {
            case "/": return s_rootDirectory.TryGetValue(name, out child);
            case "/sys": return s_sysDirectory.TryGetValue(name, out child);
            case "/sys/bus": return s_sysBusDirectory.TryGetValue(name, out child);
            case "/sys/kernel": return s_sysKernelDirectory.TryGetValue(name, out child);
            case "/sys/bus/pci" when name is "devices" or "drivers":
                child = EmulatedNode.Directory;
                return true;
            case devices:
                child = AnyFunctionUnder(name) ? EmulatedNode.Directory : null;
                return child is not null;
        }

        if (canonical == busDevices)
        {
            child = PciAddress.TryParse(name, out var address) && FindFunctionLocked(address) is { } f
                ? EmulatedNode.Link($"../../../devices/{f.RootName}/{f.Address}")
                : null;
            return child is not null;
        }

        if (canonical.StartsWith(devicesPrefix, StringComparison.Ordinal))
        {
            int slash = canonical.IndexOf('/', devicesPrefix.Length);
            if (slash < 0)
            {
                child = FunctionUnder(canonical[devicesPrefix.Length..], name) is not null ? EmulatedNode.Directory : null;
                return child is not null;
            }

            if (canonical.IndexOf('/', slash + 1) < 0)
            {
                child = FunctionUnder(canonical[devicesPrefix.Length..slash], canonical[(slash + 1)..]) is { } function
                    ? DeviceAttribute(function, name)
                    : null;
                return child is not null;
            }
        }

        return Children(canonical).TryGetValue(name, out child);
    }

    private Dictionary<string, EmulatedNode> BusPci() => new(StringComparer.Ordinal)
    {
        ["devices"] = EmulatedNode.Directory,
        ["drivers"] = EmulatedNode.Directory,
        ["drivers_probe"] = EmulatedNode.WriteOnly(WriteDriversProbe),
    };

    private Dictionary<string, EmulatedNode> DriverDirectory(string driver)
    {
        var entries = new Dictionary<string, EmulatedNode>(StringComparer.Ordinal)
        {
            ["bind"] = EmulatedNode.WriteOnly(value => WriteBind(driver, value)),
            ["unbind"] = EmulatedNode.WriteOnly(value => WriteUnbind(driver, value)),
        };
        foreach (var function in AllFunctions.Where(f => f.Driver == driver))
        {
            entries[function.Address.ToString()] = EmulatedNode.Link($"../../../../devices/{function.RootName}/{function.Address}");
        }

        return entries;
    }

    private Dictionary<string, EmulatedNode> DevDirectory()
    {
        var entries = new Dictionary<string, EmulatedNode>(StringComparer.Ordinal);
        foreach (var function in AllFunctions.Where(f => f.NvmeInstance is not null))
        {
            int instance = function.NvmeInstance!.Value;
            entries["nvme" + Num(instance)] = EmulatedNode.Device;
            foreach (int nsid in NamespacesOf(function))
            {
                entries[$"nvme{Num(instance)}n{Num(nsid)}"] = EmulatedNode.Device;
            }
        }

        if (HasVfioDriver)
        {
            entries["vfio"] = EmulatedNode.Directory;
        }

        return entries;
    }

    private Dictionary<string, EmulatedNode> VfioDevDirectory()
    {
        var entries = new Dictionary<string, EmulatedNode>(StringComparer.Ordinal) { ["vfio"] = EmulatedNode.Device };
        foreach (int group in OpenableVfioGroups())
        {
            entries[Num(group)] = EmulatedNode.Device;
        }

        return entries;
    }

    private Dictionary<string, EmulatedNode> ProcDirectory()
    {
        var entries = _processes.Keys.ToDictionary(pid => pid, _ => EmulatedNode.Directory);
        entries["mounts"] = EmulatedNode.ReadOnly(ProcMounts);
        return entries;
    }

    private string ProcMounts()
    {
        var text = new System.Text.StringBuilder();
        text.Append("sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n");
        text.Append("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
        foreach (var mount in _mounts)
        {
            text.Append(CultureInfo.InvariantCulture, $"{mount.Source} {mount.Target} {mount.FsType} rw,relatime 0 0\n");
        }

        return text.ToString();
    }

    private bool HasVfioDriver => _drivers.Values.Any(d => d.Vfio);

    /// <summary><c>/dev/vfio/&lt;group&gt;</c> exists while a device of the group is bound to a vfio driver (reference §1).</summary>
    private IEnumerable<int> OpenableVfioGroups() => AllFunctions
        .Where(f => f.IommuGroup is not null && f.Driver is { } d && _drivers[d].Vfio)
        .Select(f => f.IommuGroup!.Value)
        .Distinct();

    private IEnumerable<int> UsedIommuGroups() => AllFunctions.Where(f => f.IommuGroup is not null).Select(f => f.IommuGroup!.Value);

    private bool AnyFunctionUnder(string root)
    {
        foreach (var pf in _pfs)
        {
            if (pf.Function.RootName == root)
            {
                return true;
            }
        }

        return false;
    }

    private EmulatedPciFunction? FunctionUnder(string root, string bdf) =>
        PciAddress.TryParse(bdf, out var address) && FindFunctionLocked(address) is { } f && f.RootName == root ? f : null;

    private IEnumerable<int> NamespacesOf(EmulatedPciFunction function) =>
        function.IsVirtualFunction ? [] : _pfs.First(p => p.Function == function).Config.Namespaces;

    private static Dictionary<string, EmulatedNode> Dirs(params string[] names) =>
        names.ToDictionary(n => n, _ => EmulatedNode.Directory, StringComparer.Ordinal);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
