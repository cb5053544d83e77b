using System.Globalization;
using NvmeLm.Hardware.Emulated;

namespace NvmeLm.DevCluster;

/// <summary>
/// The emulated host of a simulated node: QEMU-like NVMe PFs (vendor 0x1b36, which the sample pool selects) with
/// enough flexible queue/interrupt resources for every VF to get the sample pool's 4 + 4, and TP4159 live
/// migration when the spec asks for it. Serial numbers are unique per node and PF, so a controller state's
/// origin (the vendor section names the source PF serial) shows where it came from.
/// </summary>
public static class EmulatedNodeHardware
{
    /// <summary>Flexible resources a secondary controller may hold at most (the sample pool asks for 4 of each).</summary>
    public const int MaxResourcesPerSecondary = 8;

    public static EmulatedHostConfig Create(SimulatedNodeSpec spec, int nodeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spec.PfCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.PfCount, 9);
        var pfs = new List<EmulatedPfConfig>();
        for (var i = 0; i < spec.PfCount; i++)
        {
            pfs.Add(new EmulatedPfConfig
            {
                Address = string.Create(CultureInfo.InvariantCulture, $"0000:0{i + 1}:00.0"),
                Model = spec.LiveMigration ? "Emulated NVMe LM" : "Emulated NVMe",
                Serial = string.Create(CultureInfo.InvariantCulture, $"EMU{nodeIndex:D5}P{i}"),
                Firmware = "1.0",
                NvmeInstance = i,
                TotalVfs = spec.TotalVfs,
                VqFlexibleTotal = spec.TotalVfs * MaxResourcesPerSecondary,
                ViFlexibleTotal = spec.TotalVfs * MaxResourcesPerSecondary,
                MaxVqPerSecondary = MaxResourcesPerSecondary,
                MaxViPerSecondary = MaxResourcesPerSecondary,
                LiveMigration = spec.LiveMigration,
                ControllerStateSize = spec.ControllerStateSize,
            });
        }

        var config = new EmulatedHostConfig { PhysicalFunctions = pfs };
        config.Validate(spec.Name);
        return config;
    }
}
