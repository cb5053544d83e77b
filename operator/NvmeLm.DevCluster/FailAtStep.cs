using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.DevCluster;

/// <summary>
/// The hardware faults <c>demo --fail-at STEP</c> can inject, each on the node and NVMe command only that step
/// issues, so the fault hits exactly that step: the agent gets an NVMe error (Internal Error with Do Not Retry),
/// the operator fails the migration and rolls back. Allow-migrate/allow-resume are journal-only and VFIO binding is
/// a no-op on VFs the pool already bound, so the preparing phases have no hardware command of their own to fail.
/// <see cref="Skip"/> lets earlier identical commands of another step through: Suspend first probes with a
/// header-only Get Controller State, the same command SaveState starts with.
/// </summary>
public sealed record FailAtStep(string Step, MigrationPhase Phase, bool OnSource, byte Opcode, byte Select, string Description, int Skip = 0)
{
    /// <summary>NVMe Internal Error (SCT 0, SC 0x06) with DNR: a hard failure the agent must not retry.</summary>
    public const ushort InjectedStatus = 0x4000 | (ushort)NvmeStatusCode.InternalError;

    public static IReadOnlyList<FailAtStep> All { get; } =
    [
        new("Suspend", MigrationPhase.Suspending, OnSource: true, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSuspend,
            "Migration Send (Suspend) on the source PF fails"),
        new("SaveState", MigrationPhase.TransferringState, OnSource: true, NvmeAdminOpcode.MigrationReceive, MigrationFields.ReceiveSelectGetControllerState,
            "Migration Receive (Get Controller State) on the source PF fails", Skip: 1),
        new("RestoreState", MigrationPhase.TransferringState, OnSource: false, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectSetControllerState,
            "Migration Send (Set Controller State) on the destination PF fails"),
        new("Resume", MigrationPhase.Resuming, OnSource: false, NvmeAdminOpcode.MigrationSend, MigrationFields.SendSelectResume,
            "Migration Send (Resume) on the destination PF fails"),
    ];

    /// <summary>The failure reason the migration must end with when this step fails.</summary>
    public string ExpectedReason => Step + "Failed";

    /// <summary>
    /// By step name or by phase name (the phase's first hardware step), in any case and with or without dashes, so the
    /// agent CLI's command names work too: <c>RestoreState</c>, <c>restorestate</c>, <c>restore-state</c>.
    /// </summary>
    public static FailAtStep? Find(string name)
    {
        string wanted = Normalize(name);
        return All.FirstOrDefault(f => string.Equals(f.Step, wanted, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(f => string.Equals(f.Phase.ToString(), wanted, StringComparison.OrdinalIgnoreCase));
    }

    public static string Choices => string.Join(", ", All.Select(f => $"{f.Step} ({f.Phase})")) + " (any case; restore-state works too)";

    private static string Normalize(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);

    /// <summary>Arms the fault on the right node for every migration of the run (one failure per migration).</summary>
    public void Arm(SimulatedNode source, SimulatedNode destination, int migrations) =>
        (OnSource ? source : destination).Host.Faults.FailCommand(Opcode, InjectedStatus, Select, migrations, Skip * migrations);
}
