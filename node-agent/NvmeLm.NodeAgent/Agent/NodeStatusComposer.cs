using System.Text.Json;
using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Resources;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Builds <c>NvmeNode.status</c> from a <see cref="SyncReport"/> and decides whether it is worth a write: only when
/// something other than the heartbeat changed, or the heartbeat is due (a status that only refreshes its heartbeat
/// is written once per heartbeat period, no more often).
/// </summary>
public static class NodeStatusComposer
{
    /// <summary>The CRD's bound on <c>lastSyncError</c>.</summary>
    public const int MaxSyncErrorLength = 4096;

    /// <summary>The CRD's bound on <c>allocatedTo</c> (containers per VF).</summary>
    public const int MaxAllocationsPerVf = 16;

    /// <summary>The status to write, or null when <paramref name="current"/> already says the same and the heartbeat is not due.</summary>
    /// <param name="allocations">The containers each VF (by PCI address) is allocated to (kubelet PodResources); written as <c>allocatedTo</c>.</param>
    public static V1Alpha1NvmeNode.EntityStatus? Compose(
        V1Alpha1NvmeNode.EntityStatus? current, SyncReport report, IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> allocations,
        string agentVersion, TimeSpan heartbeatPeriod, DateTimeOffset now)
    {
        SetAllocations(report.PhysicalFunctions, allocations);
        var status = new V1Alpha1NvmeNode.EntityStatus
        {
            ObservedGeneration = report.Generation,
            Conditions = Clone(current?.Conditions),
            LastSyncError = SyncError(report.Errors),
            HeartbeatTime = current?.HeartbeatTime,
            AgentVersion = agentVersion,
            PfCount = report.PhysicalFunctions.Count,
            VfCount = report.PhysicalFunctions.Sum(p => p.NumVfs),
            MigratableVfCount = report.PhysicalFunctions.Sum(p => p.Secondaries?.Count(s => s.Migratable) ?? 0),
            AllocatedVfCount = report.PhysicalFunctions.Sum(p => p.Secondaries?.Count(s => s.AllocatedTo is { Count: > 0 }) ?? 0),
            PhysicalFunctions = report.PhysicalFunctions.ToList(),
            OperationResults = report.OperationResults.Count == 0 ? null : report.OperationResults.ToList(),
        };
        SetConditions(status.Conditions!, report, status, now);
        bool changed = !SameButHeartbeat(status, current);
        bool heartbeatDue = current?.HeartbeatTime is not DateTime beat || now.UtcDateTime - beat >= heartbeatPeriod;
        if (!changed && !heartbeatDue)
        {
            return null;
        }

        status.HeartbeatTime = TruncateToSeconds(now);
        return status;
    }

    /// <summary>
    /// <paramref name="current"/> with <paramref name="results"/> as its operation results and nothing else changed (not
    /// the inventory, not observedGeneration): what the agent publishes as soon as a critical-section step finished,
    /// before the rest of its sync.
    /// </summary>
    public static V1Alpha1NvmeNode.EntityStatus WithResults(V1Alpha1NvmeNode.EntityStatus current, IReadOnlyList<NodeOperationResult> results)
    {
        var status = KubernetesJson.Deserialize<V1Alpha1NvmeNode.EntityStatus>(KubernetesJson.Serialize(current));
        status.OperationResults = results.Count == 0 ? null : results.ToList();
        return status;
    }

    /// <summary>
    /// Every secondary gets the allocations of its VF address, or none: the report's inventory objects are reused when
    /// only the allocations changed, so each compose sets them all afresh.
    /// </summary>
    private static void SetAllocations(IReadOnlyList<PhysicalFunctionStatus> pfs, IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> allocations)
    {
        foreach (SecondaryControllerStatus secondary in pfs.SelectMany(p => p.Secondaries ?? []))
        {
            secondary.AllocatedTo = secondary.VfAddress is { } address && allocations.TryGetValue(address, out IReadOnlyList<PodAllocation>? pods) && pods.Count > 0
                ? pods.Take(MaxAllocationsPerVf).ToList()
                : null;
        }
    }

    private static void SetConditions(IList<k8s.Models.V1Condition> conditions, SyncReport report, V1Alpha1NvmeNode.EntityStatus status, DateTimeOffset now)
    {
        long? generation = report.Generation;
        SetDrift(conditions, report, generation, now);
        if (report.Errors.Count == 0)
        {
            Conditions.Set(conditions, AgentConditions.Ready, Conditions.True, AgentConditions.SpecAppliedReason,
                $"{status.PfCount} PF(s), {status.VfCount} VF(s) enabled, {status.MigratableVfCount} migratable", generation, now);
            Conditions.Set(conditions, AgentConditions.Degraded, Conditions.False, AgentConditions.NoProblemsReason, null, generation, now);
            return;
        }

        string reason = report.InvalidSpec ? AgentConditions.InvalidSpecReason : AgentConditions.SpecFailedReason;
        string first = report.Errors[0] + (report.Errors.Count > 1 ? $" (and {report.Errors.Count - 1} more; see lastSyncError)" : string.Empty);
        Conditions.Set(conditions, AgentConditions.Ready, Conditions.False, reason, first, generation, now);
        Conditions.Set(conditions, AgentConditions.Degraded, Conditions.True, reason, first, generation, now);
    }

    private static void SetDrift(IList<k8s.Models.V1Condition> conditions, SyncReport report, long? generation, DateTimeOffset now)
    {
        if (report.DriftNotCorrected is string failed)
        {
            Conditions.Set(conditions, AgentConditions.Drifted, Conditions.True, AgentConditions.DriftNotCorrectedReason, failed, generation, now);
        }
        else if (report.DriftCorrected is string corrected)
        {
            string at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            Conditions.Set(conditions, AgentConditions.Drifted, Conditions.False, AgentConditions.DriftCorrectedReason, $"{at}: {corrected}", generation, now);
        }
        else if (Conditions.Find(conditions, AgentConditions.Drifted) is not { } existing
            || (existing.Status != Conditions.False && report.Errors.Count == 0))
        {
            // First status, or an uncorrected drift is gone now that the spec applies cleanly. Otherwise the condition
            // stays: True while the spec still fails, or the record of the last correction.
            Conditions.Set(conditions, AgentConditions.Drifted, Conditions.False, AgentConditions.NoProblemsReason, "the hardware matches the applied spec", generation, now);
        }
    }

    private static string? SyncError(IReadOnlyList<string> errors)
    {
        if (errors.Count == 0)
        {
            return null;
        }

        string joined = string.Join("\n", errors);
        return joined.Length <= MaxSyncErrorLength ? joined : joined[..(MaxSyncErrorLength - 1)] + "…";
    }

    private static List<k8s.Models.V1Condition> Clone(IList<k8s.Models.V1Condition>? conditions) =>
        conditions is null ? [] : KubernetesJson.Deserialize<List<k8s.Models.V1Condition>>(KubernetesJson.Serialize(conditions));

    /// <summary>
    /// Whether the two statuses serialize alike but for their heartbeat: then only the heartbeat would change. Read
    /// from the serialized documents rather than edited on the objects (current may be the informer's cached copy),
    /// and compared element by element rather than re-serialized: this runs at every sync of every agent.
    /// </summary>
    private static bool SameButHeartbeat(V1Alpha1NvmeNode.EntityStatus? a, V1Alpha1NvmeNode.EntityStatus? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        using var first = JsonDocument.Parse(KubernetesJson.Serialize(a));
        using var second = JsonDocument.Parse(KubernetesJson.Serialize(b));
        int unmatched = 0;
        foreach (var property in first.RootElement.EnumerateObject())
        {
            if (property.NameEquals(HeartbeatProperty))
            {
                continue;
            }

            if (!second.RootElement.TryGetProperty(property.Name, out var other) || !JsonElement.DeepEquals(property.Value, other))
            {
                return false;
            }

            unmatched++;
        }

        foreach (var property in second.RootElement.EnumerateObject())
        {
            if (!property.NameEquals(HeartbeatProperty))
            {
                unmatched--;
            }
        }

        return unmatched == 0;
    }

    private const string HeartbeatProperty = "heartbeatTime";

    private static DateTime TruncateToSeconds(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
