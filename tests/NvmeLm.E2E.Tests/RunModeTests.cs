using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// nvme-lm-agent's DaemonSet <c>run</c> mode on a real kernel (issue 14, tests/e2e/guest/phase-cluster.sh): the
/// embedded API server, the operator and the agent run inside the QEMU guest, the scenarios change an NvmeVfPool
/// through kubectl (or the hardware behind the agent's back), and every outcome behind these markers was checked in
/// the guest with sysfs and nvme-cli; the NvmeNode status was itself compared with the hardware.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class RunModeTests(E2ERunFixture fixture)
{
    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void ShippedBinaries_Should_BePublishedForTheGuest()
    {
        E2EAssert.Passed(_run, "host.publish.agent");
        E2EAssert.Passed(_run, "host.publish.operator");
        E2EAssert.Passed(_run, "host.publish.apiserver");
        E2EAssert.Passed(_run, "host.kubectl");
        E2EAssert.Passed(_run, "cluster.present");
    }

    [Fact]
    public void Cluster_Should_StartAndPublishTheInventoryOfTheRealPf()
    {
        // API server, CRDs, Node, the agent's NvmeNode with an inventory that matches sysfs, both /readyz probes.
        E2EAssert.AllPassed(_run, "cluster.start.");
    }

    [Fact]
    public void ApplyPool_Should_ProvisionTheVfsOnVfio_And_ReportThemInTheStatus()
    {
        E2EAssert.AllPassed(_run, "cluster.apply.");
    }

    [Theory]
    [InlineData("grow")]
    [InlineData("shrink")]
    [InlineData("resources")]
    public void ChangePool_Should_BeFollowedByTheHardware(string change)
    {
        // grow 2->3 and shrink 3->2 are non-zero numvfs changes, which the kernel only allows through 0.
        E2EAssert.Passed(_run, "kernel.numvfs-ebusy");
        E2EAssert.AllPassed(_run, $"cluster.{change}.");
    }

    [Theory]
    [InlineData("numvfs")]
    [InlineData("unbind")]
    public void Drift_Should_BeCorrectedAndRecordedAsAnEvent(string drift)
    {
        E2EAssert.AllPassed(_run, $"cluster.drift-{drift}.");
        E2EAssert.Passed(_run, "cluster.drift.condition");
    }

    [Fact]
    public void AgentKilledMidApply_Should_BeFinishedByTheRestartedAgent_WithNoSecondaryHalfAssigned()
    {
        E2EAssert.AllPassed(_run, "cluster.kill.");
    }

    [Fact]
    public void Migration_Should_BeRefusedForLackOfHmlms_And_ChangeNothing()
    {
        E2EAssert.AllPassed(_run, "cluster.migration.");
    }

    [Fact]
    public void DeletePool_Should_ReturnTheHardwareToItsBootState()
    {
        E2EAssert.AllPassed(_run, "cluster.delete.");
        E2EAssert.Passed(_run, "cluster.completed");
    }

    [Fact]
    public void AgentOperatorAndApiServer_Should_ExitZero_On_Sigterm()
    {
        E2EAssert.Passed(_run, "cluster.stop.agent");
        E2EAssert.Passed(_run, "cluster.stop.operator");
        E2EAssert.Passed(_run, "cluster.stop.apiserver");
    }
}
