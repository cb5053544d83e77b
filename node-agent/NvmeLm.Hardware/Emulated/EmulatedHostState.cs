namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// The mutable part of an emulated host (what sysfs writes and NVMe commands change), as saved in the
/// state file next to the config. The config stays the source of the fixed hardware description.
/// </summary>
public sealed class EmulatedHostState
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;
    public List<Pf> PhysicalFunctions { get; set; } = [];
    public List<EmulatedMountConfig> Mounts { get; set; } = [];

    public sealed class Pf
    {
        public string Address { get; set; } = "";
        public bool DriversAutoprobe { get; set; } = true;
        public string? Driver { get; set; }
        public string? DriverOverride { get; set; }
        public int? IommuGroup { get; set; }
        public int PrimaryFlexibleVq { get; set; }
        public int PrimaryFlexibleVi { get; set; }
        public List<Vf> VirtualFunctions { get; set; } = [];
        public List<Secondary> Secondaries { get; set; } = [];
    }

    public sealed class Vf
    {
        public string Address { get; set; } = "";
        public string? Driver { get; set; }
        public string? DriverOverride { get; set; }
        public int? IommuGroup { get; set; }
        public int? NvmeInstance { get; set; }
    }

    public sealed class Secondary
    {
        public int Scid { get; set; }
        public int Nvq { get; set; }
        public int Nvi { get; set; }
        public bool Online { get; set; }
        public bool Suspended { get; set; }
        public byte[]? RestoredState { get; set; }
        public byte[]? PendingState { get; set; }
    }
}
