using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// Emulated hosts for the agent tests: <see cref="MigratablePf"/> supports live migration (OACS bit 11),
/// <see cref="PlainPf"/> does not; each has 4 VFs, VQ max 4 / VI max 2 per secondary, a 4 KiB controller state.
/// </summary>
internal static class AgentHosts
{
    public static readonly PciAddress MigratablePf = PciAddress.Parse("0000:01:00.0");
    public static readonly PciAddress PlainPf = PciAddress.Parse("0000:02:00.0");

    /// <summary>VF 1 and VF 2 of <see cref="MigratablePf"/> (offset 1, stride 1).</summary>
    public const string Vf1 = "0000:01:00.1";
    public const string Vf2 = "0000:01:00.2";

    /// <summary>The drivers of the first <paramref name="count"/> VFs of <see cref="MigratablePf"/> (null: no driver or no VF).</summary>
    public static IReadOnlyList<string?> VfDrivers(EmulatedHost host, int count) =>
        Enumerable.Range(1, count).Select(i => host.FindFunction(PciAddress.FromParts(0, 1, 0, i))?.Driver).ToList();

    public static EmulatedHost Create(string serialPrefix = "EMU") => new(Config(serialPrefix));

    public static EmulatedHostConfig Config(string serialPrefix = "EMU") => new()
    {
        Drivers =
        [
            new EmulatedDriverConfig { Name = "nvme" },
            new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true },
        ],
        PhysicalFunctions =
        [
            Pf(MigratablePf, 0, serialPrefix + "0", liveMigration: true),
            Pf(PlainPf, 1, serialPrefix + "1", liveMigration: false),
        ],
    };

    private static EmulatedPfConfig Pf(PciAddress address, int instance, string serial, bool liveMigration) => new()
    {
        Address = address.ToString(),
        NvmeInstance = instance,
        Serial = serial,
        TotalVfs = 4,
        VfOffset = 1,
        VfStride = 1,
        VqFlexibleTotal = 16,
        ViFlexibleTotal = 8,
        MaxVqPerSecondary = 4,
        MaxViPerSecondary = 2,
        LiveMigration = liveMigration,
        StateFormatVersions = [0],
        ControllerStateSize = 4096,
    };
}
