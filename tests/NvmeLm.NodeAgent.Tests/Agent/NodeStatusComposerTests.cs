using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Resources;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

public sealed class NodeStatusComposerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 27, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromMinutes(1);
    private static readonly Dictionary<string, IReadOnlyList<PodAllocation>> s_noAllocations = [];

    private static SyncReport Report(long generation, params string[] errors) => new(
        generation,
        [new PhysicalFunctionStatus { Address = "0000:01:00.0", NumVfs = 2, Secondaries = [new SecondaryControllerStatus { Scid = 1, Migratable = true, VfAddress = "0000:01:00.1" }] }],
        [],
        errors,
        InvalidSpec: false);

    [Fact]
    public void Compose_Should_SetReadyAndHeartbeat_When_FirstStatus()
    {
        var status = NodeStatusComposer.Compose(null, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;

        Assert.Equal((3L, 1, 2, 1), (status.ObservedGeneration!.Value, status.PfCount, status.VfCount, status.MigratableVfCount));
        Assert.Equal(s_now.UtcDateTime, status.HeartbeatTime);
        Assert.True(Conditions.IsTrueFor(status.Conditions, AgentConditions.Ready, 3));
        Assert.True(Conditions.IsFalse(status.Conditions, AgentConditions.Degraded));
    }

    [Fact]
    public void Compose_Should_ReturnNull_When_OnlyTheHeartbeatWouldChangeBeforeItIsDue()
    {
        var first = NodeStatusComposer.Compose(null, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;

        Assert.Null(NodeStatusComposer.Compose(first, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(59)));
        var beat = NodeStatusComposer.Compose(first, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(60));
        Assert.Equal(s_now.AddSeconds(60).UtcDateTime, beat!.HeartbeatTime);
    }

    [Fact]
    public void Compose_Should_WriteAtOnceAndKeepTransitionTime_When_AnErrorAppearsAndClears()
    {
        var first = NodeStatusComposer.Compose(null, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;

        var failed = NodeStatusComposer.Compose(first, Report(3, "PF 0000:01:00.0: EBUSY"), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(5))!;
        var cleared = NodeStatusComposer.Compose(failed, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(10))!;

        Assert.Equal("PF 0000:01:00.0: EBUSY", failed.LastSyncError);
        Assert.True(Conditions.IsTrue(failed.Conditions, AgentConditions.Degraded));
        Assert.Equal(AgentConditions.SpecFailedReason, Conditions.Find(failed.Conditions, AgentConditions.Ready)!.Reason);
        Assert.Null(cleared.LastSyncError);
        Assert.True(Conditions.IsTrueFor(cleared.Conditions, AgentConditions.Ready, 3));
        Assert.Equal(s_now.AddSeconds(10).UtcDateTime, Conditions.Find(cleared.Conditions, AgentConditions.Ready)!.LastTransitionTime);
        // The earlier status object is not modified (it may be the informer's cached copy).
        Assert.Null(first.LastSyncError);
        Assert.True(Conditions.IsTrue(first.Conditions, AgentConditions.Ready));
    }

    [Fact]
    public void Compose_Should_TrackDrift_When_ItIsCorrectedOrNot()
    {
        var first = NodeStatusComposer.Compose(null, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;
        Assert.Equal(AgentConditions.NoProblemsReason, Conditions.Find(first.Conditions, AgentConditions.Drifted)!.Reason);

        var corrected = NodeStatusComposer.Compose(first, Report(3) with { DriftCorrected = "re-applied: enable-sriov: write sriov_numvfs 2" }, s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(1))!;
        var quiet = NodeStatusComposer.Compose(corrected, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(2));
        var broken = NodeStatusComposer.Compose(corrected, Report(3, "PF x: EBUSY") with { DriftNotCorrected = "PF x: EBUSY" }, s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(3))!;
        var stillBroken = NodeStatusComposer.Compose(broken, Report(3, "PF x: EBUSY"), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(4));
        var healed = NodeStatusComposer.Compose(broken, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(5))!;

        var drift = Conditions.Find(corrected.Conditions, AgentConditions.Drifted)!;
        Assert.Equal((Conditions.False, AgentConditions.DriftCorrectedReason), (drift.Status, drift.Reason));
        Assert.StartsWith("2026-11-27T05:00:01Z: re-applied", drift.Message, StringComparison.Ordinal);
        Assert.True(Conditions.IsTrue(corrected.Conditions, AgentConditions.Ready));
        Assert.Null(quiet);
        Assert.Equal(AgentConditions.DriftNotCorrectedReason, Conditions.Find(broken.Conditions, AgentConditions.Drifted)!.Reason);
        Assert.True(Conditions.IsTrue(broken.Conditions, AgentConditions.Drifted));
        Assert.Null(stillBroken);
        Assert.True(Conditions.IsFalse(healed.Conditions, AgentConditions.Drifted));
        Assert.Equal(AgentConditions.NoProblemsReason, Conditions.Find(healed.Conditions, AgentConditions.Drifted)!.Reason);
    }

    [Fact]
    public void Compose_Should_TruncateLastSyncError_When_ErrorsExceedTheCrdBound()
    {
        string[] errors = Enumerable.Range(0, 100).Select(i => new string('x', 100) + i).ToArray();

        var status = NodeStatusComposer.Compose(null, Report(1, errors), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;

        Assert.Equal(NodeStatusComposer.MaxSyncErrorLength, status.LastSyncError!.Length);
        Assert.Contains("and 99 more", Conditions.Find(status.Conditions, AgentConditions.Degraded)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Should_WriteAllocatedToAndCount_When_APodHasTheVf()
    {
        var first = NodeStatusComposer.Compose(null, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now)!;
        var allocation = new PodAllocation { Namespace = "vms", Pod = "virt-launcher-a", Container = "compute", PodUid = "0f0e0d0c-0b0a-4909-8807-060504030201" };
        var allocated = NodeStatusComposer.Compose(first, Report(3), new Dictionary<string, IReadOnlyList<PodAllocation>> { ["0000:01:00.1"] = [allocation] },
            "1.0.0", s_heartbeat, s_now.AddSeconds(1));
        var freed = NodeStatusComposer.Compose(allocated, Report(3), s_noAllocations, "1.0.0", s_heartbeat, s_now.AddSeconds(2));

        Assert.Equal(0, first.AllocatedVfCount);
        Assert.NotNull(allocated);
        Assert.Equal(1, allocated.AllocatedVfCount);
        Assert.Equal("virt-launcher-a", Assert.Single(allocated.PhysicalFunctions![0].Secondaries![0].AllocatedTo!).Pod);
        Assert.NotNull(freed);
        Assert.Equal(0, freed.AllocatedVfCount);
        Assert.Null(freed.PhysicalFunctions![0].Secondaries![0].AllocatedTo);
    }
}
