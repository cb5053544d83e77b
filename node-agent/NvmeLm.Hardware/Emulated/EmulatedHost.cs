using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// An in-memory Linux host with NVMe SR-IOV devices: answers the real <c>/sys</c>, <c>/dev</c> and
/// <c>/proc</c> paths with the kernel's rules (reference §1) and runs NVMe admin commands against emulated
/// controllers that behave like the QEMU lab device plus TP4159 (reference §3, §4a, §6). The same SR-IOV and
/// NVMe code that runs on a real host runs on this one through <see cref="IHostFileSystem"/> and
/// <see cref="INvmeAdminDeviceOpener"/>.
/// <para>
/// Thread-safe: one lock serialises every read, write and command (injected delays are served before it).
/// The object outlives agent instances; with a state file (<see cref="OpenFile"/>) every change is also
/// saved atomically so separate CLI processes see the same hardware.
/// </para>
/// </summary>
public sealed partial class EmulatedHost : IHostFileSystem, INvmeAdminDeviceOpener
{
    private readonly object _gate = new();
    private readonly List<EmulatedPhysicalFunction> _pfs = [];
    private readonly Dictionary<string, EmulatedDriverConfig> _drivers = new(StringComparer.Ordinal);
    private readonly List<EmulatedMountConfig> _mounts = [];
    private readonly string? _statePath;

    public EmulatedHost(EmulatedHostConfig config, string? statePath = null)
    {
        config.Validate();
        Config = config;
        foreach (var driver in config.EffectiveDrivers)
        {
            _drivers.Add(driver.Name, driver);
        }

        _mounts.AddRange(config.Mounts);
        foreach (var pfConfig in config.PhysicalFunctions)
        {
            _pfs.Add(new EmulatedPhysicalFunction(pfConfig));
        }

        foreach (var pf in _pfs)
        {
            pf.Function.IommuGroup = config.Iommu ? pf.Config.IommuGroup ?? AllocateIommuGroup() : null;
            if (!string.IsNullOrEmpty(pf.Config.Driver))
            {
                Attach(pf.Function, pf.Config.Driver);
            }
        }

        _statePath = statePath;
        if (statePath is not null && File.Exists(statePath))
        {
            ApplyState(EmulatedStateFile.Load(statePath));
        }
    }

    /// <summary>
    /// A host whose mutable state lives in <paramref name="statePath"/>, by default <c>&lt;configPath&gt;.state.json</c>
    /// (created on the first change). A separate state path lets the configuration be read-only (a ConfigMap).
    /// </summary>
    public static EmulatedHost OpenFile(string configPath, string? statePath = null) =>
        new(EmulatedHostConfig.Load(configPath), statePath ?? StatePathFor(configPath));

    public static string StatePathFor(string configPath) => configPath + ".state.json";

    /// <summary>A fresh in-memory host and its hardware seams.</summary>
    public static HostHardware CreateHardware(EmulatedHostConfig config) => new EmulatedHost(config).CreateHardware();

    public HostHardware CreateHardware() => new(this, this, new EmulatedVfioFeatureProbe(this));

    public EmulatedHostConfig Config { get; }

    public EmulatedFaults Faults { get; } = new();

    public EmulatedWriteLog WriteLog { get; } = new();

    /// <summary>Snapshot of the PFs for test assertions; read them while no other thread mutates the host.</summary>
    public IReadOnlyList<EmulatedPhysicalFunction> PhysicalFunctions => _pfs;

    public EmulatedPhysicalFunction PhysicalFunction(PciAddress address) =>
        _pfs.Find(p => p.Function.Address == address) ?? throw new ArgumentException($"no emulated PF at {address}", nameof(address));

    /// <summary>Any function (PF or enabled VF) at <paramref name="address"/>, or null.</summary>
    public EmulatedPciFunction? FindFunction(PciAddress address)
    {
        lock (_gate)
        {
            return FindFunctionLocked(address);
        }
    }

    /// <summary>Adds a line to <c>/proc/mounts</c> (e.g. a filesystem mounted on <c>/dev/nvme0n1</c>).</summary>
    public void Mount(string source, string target, string fsType = "ext4")
    {
        lock (_gate)
        {
            _mounts.Add(new EmulatedMountConfig { Source = source, Target = target, FsType = fsType });
            PersistLocked();
        }
    }

    public void Unmount(string target)
    {
        lock (_gate)
        {
            _mounts.RemoveAll(m => m.Target == target);
            PersistLocked();
        }
    }

    private IEnumerable<EmulatedPciFunction> AllFunctions =>
        _pfs.SelectMany(p => p.VirtualFunctions.Prepend(p.Function));

    // A loop, not AllFunctions: every emulated sysfs read resolves its function here.
    private EmulatedPciFunction? FindFunctionLocked(PciAddress address)
    {
        foreach (var pf in _pfs)
        {
            if (pf.Function.Address == address)
            {
                return pf.Function;
            }

            foreach (var vf in pf.VirtualFunctions)
            {
                if (vf.Address == address)
                {
                    return vf;
                }
            }
        }

        return null;
    }
}
