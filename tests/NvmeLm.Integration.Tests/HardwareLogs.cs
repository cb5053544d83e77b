using NvmeLm.DevCluster;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Integration.Tests;

/// <summary>Reads the emulated hosts' write logs: mutations since a mark, and operations that took effect twice.</summary>
internal static class HardwareLogs
{
    /// <summary>The last sequence number per node, to look only at what happens after it.</summary>
    public static Dictionary<string, long> Mark(SimulatedCluster cluster) =>
        cluster.Nodes.ToDictionary(n => n.Name, n => n.Host.WriteLog.Records.LastOrDefault()?.Sequence ?? 0);

    public static IReadOnlyList<(string Node, EmulatedWriteRecord Record)> MutationsSince(SimulatedCluster cluster, IReadOnlyDictionary<string, long> mark) =>
        cluster.Nodes.SelectMany(n => n.Host.WriteLog.Mutations.Where(r => r.Sequence > mark[n.Name]).Select(r => (n.Name, r))).ToList();

    public static IReadOnlyList<(string Node, EmulatedWriteRecord Record)> ChangesSince(SimulatedCluster cluster, IReadOnlyDictionary<string, long> mark) =>
        cluster.Nodes.SelectMany(n => n.Host.WriteLog.Changes.Where(r => r.Sequence > mark[n.Name]).Select(r => (n.Name, r))).ToList();

    /// <summary>
    /// Operations that changed the hardware more than once with the same target and arguments after the mark: a
    /// step that ran twice with effect (a suspend, resume, state write, bind or unbind repeated).
    /// </summary>
    public static IReadOnlyList<string> DuplicateEffects(SimulatedCluster cluster, IReadOnlyDictionary<string, long> mark) =>
        ChangesSince(cluster, mark)
            .GroupBy(c => (c.Node, c.Record.Kind, c.Record.Target, c.Record.Opcode, c.Record.Value))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Node}: {g.Count()}x {g.First().Record}")
            .ToList();

    /// <summary>Successful NVMe commands of <paramref name="opcode"/> with select <paramref name="select"/> on a node after the mark.</summary>
    public static int Commands(SimulatedNode node, IReadOnlyDictionary<string, long> mark, byte opcode, byte select) =>
        node.Host.WriteLog.Records.Count(r => r.Sequence > mark[node.Name] && r.Kind == EmulatedOperationKind.NvmeCommand
            && r.Opcode == opcode && r.Succeeded && SelectOf(r) == select);

    /// <summary>
    /// Resume commands that ran a suspended controller again on <paramref name="node"/> after the mark: with the
    /// source's and the destination's counts, whether a controller ever ran on both sides.
    /// </summary>
    public static int EffectiveResumes(SimulatedNode node, IReadOnlyDictionary<string, long> mark) =>
        node.Host.WriteLog.Records.Count(r => r.Sequence > mark[node.Name] && r.Kind == EmulatedOperationKind.NvmeCommand
            && r.Opcode == NvmeAdminOpcode.MigrationSend && r.Succeeded && r.Changed && SelectOf(r) == MigrationFields.SendSelectResume);

    public static int SelectOf(EmulatedWriteRecord record)
    {
        // Value is "cdw10=0x........ cdw11=0x........"; SEL is CDW10 bits 7:0 (reference §4a).
        var cdw10 = record.Value.Split(' ')[0]["cdw10=0x".Length..];
        return Convert.ToInt32(cdw10, 16) & MigrationFields.SelectMask;
    }
}
