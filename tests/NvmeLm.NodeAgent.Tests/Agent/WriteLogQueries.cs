using System.Globalization;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>Questions the tests ask the emulated host's write log.</summary>
internal static class WriteLogQueries
{
    /// <summary>Migration Send commands with <paramref name="select"/> (0 suspend, 1 resume, 2 set state) that changed the hardware.</summary>
    public static int EffectiveMigrationSends(this EmulatedHost host, byte select) =>
        host.WriteLog.Changes.Count(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == NvmeAdminOpcode.MigrationSend && Select(r) == select);

    /// <summary>The Migration Send commands with <paramref name="select"/> that changed the hardware, in order.</summary>
    public static IReadOnlyList<EmulatedWriteRecord> EffectiveMigrationSendRecords(this EmulatedHost host, byte select) =>
        host.WriteLog.Changes.Where(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == NvmeAdminOpcode.MigrationSend && Select(r) == select).ToList();

    /// <summary>Migration Send commands with <paramref name="select"/>, whether or not they took effect.</summary>
    public static int AttemptedMigrationSends(this EmulatedHost host, byte select) =>
        host.WriteLog.Mutations.Count(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == NvmeAdminOpcode.MigrationSend && Select(r) == select);

    /// <summary>Every mutation aimed at <paramref name="pf"/>: its or its VFs' sysfs files, a driver bind of one of them, or its controller device.</summary>
    public static IReadOnlyList<EmulatedWriteRecord> MutationsOf(this EmulatedHost host, PciAddress pf, string controllerDevice)
    {
        string bus = pf.ToString()[..^3];
        return host.WriteLog.Mutations
            .Where(r => r.Kind == EmulatedOperationKind.SysfsWrite
                ? r.Target.Contains(bus, StringComparison.Ordinal) || r.Value.Contains(bus, StringComparison.Ordinal)
                : r.Target == controllerDevice)
            .ToList();
    }

    /// <summary>
    /// NVMe commands with <paramref name="opcode"/> and CDW10 bits 7:0 = <paramref name="low"/> (SEL, or an Identify's
    /// CNS), whether or not they took effect, in order.
    /// </summary>
    public static IReadOnlyList<EmulatedWriteRecord> Commands(this EmulatedHost host, byte opcode, byte low) =>
        host.WriteLog.Records.Where(r => r.Kind == EmulatedOperationKind.NvmeCommand && r.Opcode == opcode && Select(r) == low).ToList();

    private static int Select(EmulatedWriteRecord record)
    {
        // The emulated host logs an NVMe command as "cdw10=0x........ cdw11=0x........"; SEL is CDW10 bits 7:0.
        const string prefix = "cdw10=0x";
        int start = record.Value.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        uint cdw10 = uint.Parse(record.Value.AsSpan(start, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (int)(cdw10 & MigrationFields.SelectMask);
    }
}
