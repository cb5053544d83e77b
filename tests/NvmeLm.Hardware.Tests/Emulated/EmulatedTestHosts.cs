using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Tests.Emulated;

/// <summary>Emulated hosts shaped like the QEMU lab device (4 VFs, 8 flexible VQ, 4 flexible VI → 2 VQ / 1 VI per VF).</summary>
internal static class EmulatedTestHosts
{
    public const string Pf0 = "0000:01:00.0";
    public const string Pf1 = "0000:02:00.0";
    public const string VariantDriver = "nvme-vfio-pci";

    public static EmulatedPfConfig Pf(string address = Pf0, int totalVfs = 4, bool liveMigration = false, int instance = 0, string serial = "EMU0001", int stateSize = 4096) => new()
    {
        Address = address,
        TotalVfs = totalVfs,
        VqFlexibleTotal = 2 * totalVfs,
        ViFlexibleTotal = totalVfs,
        LiveMigration = liveMigration,
        NvmeInstance = instance,
        Serial = serial,
        ControllerStateSize = stateSize,
    };

    public static EmulatedHostConfig Config(params EmulatedPfConfig[] pfs) => new()
    {
        PhysicalFunctions = pfs,
        Drivers =
        [
            new EmulatedDriverConfig { Name = "nvme" },
            new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true },
            new EmulatedDriverConfig { Name = VariantDriver, Vfio = true, MigrationFlags = ["StopCopy", "P2P"] },
        ],
    };

    public static EmulatedHost Create(params EmulatedPfConfig[] pfs) => new(Config(pfs.Length == 0 ? [Pf()] : pfs));

    /// <summary>Two LM-capable PFs (source nvme0, destination nvme1).</summary>
    public static EmulatedHost CreateMigrationPair(int stateSize = 4096) =>
        Create(Pf(Pf0, liveMigration: true, instance: 0, serial: "SRC0001", stateSize: stateSize), Pf(Pf1, liveMigration: true, instance: 1, serial: "DST0001", stateSize: stateSize));

    public static string Dev(string bdf, string attribute) => $"/sys/bus/pci/devices/{bdf}/{attribute}";

    public static NvmeAdminClient Client(EmulatedHost host, int instance = 0) => new(host.Open($"/dev/nvme{instance}"));

    /// <summary>Assigns 2 VQ + 1 VI to SCID and sets it online (the lab's per-VF sequence).</summary>
    public static void AssignAndOnline(NvmeAdminClient client, ushort scid)
    {
        client.VirtualizationManagement(VirtualizationManagementFields.ActSecondaryAssign, VirtualizationManagementFields.ResourceVi, scid, 1);
        client.VirtualizationManagement(VirtualizationManagementFields.ActSecondaryAssign, VirtualizationManagementFields.ResourceVq, scid, 2);
        client.VirtualizationManagement(VirtualizationManagementFields.ActSecondaryOnline, VirtualizationManagementFields.ResourceVq, scid, 0);
    }

    public static int Errno(Action action) => Assert.Throws<HostIoException>(action).Errno;

    public static NvmeStatusCode? Status(Action action) => Assert.Throws<NvmeCommandException>(action).Code;
}
