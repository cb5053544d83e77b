using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The real <c>nvme-lm-agent</c> CLI (the shipped binary: build/publish.sh, self-contained single file) through the source-side steps on
/// a real kernel, nvme driver, SR-IOV, IOMMU and vfio-pci (tests/e2e/guest/phase-agent.sh). Every hardware
/// claim behind these markers was checked in the guest with sysfs and nvme-cli, not with the agent's report.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class AgentSourceStepsTests(E2ERunFixture fixture)
{
    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void Agent_Should_BePublishedAndStartInTheGuest()
    {
        E2EAssert.Passed(_run, "host.publish.agent");
        E2EAssert.Passed(_run, "agent.present");
    }

    [Fact]
    public void Inventory_Should_Succeed()
    {
        E2EAssert.Passed(_run, "agent.inventory");
    }

    [Fact]
    public void PrepareSource_DryRun_Should_PrintPlanAndChangeNothing()
    {
        E2EAssert.Passed(_run, "agent.dry-run");
    }

    [Fact]
    public void PrepareSource_Should_EnableOnlineMapAndBindThreeVfs()
    {
        E2EAssert.Passed(_run, "agent.prepare-source");
        E2EAssert.AllPassed(_run, "prepare-source.");
    }

    [Fact]
    public void AllowMigrate_Should_RefuseNamingControllerAndCapability_When_PrimaryLacksHmlms()
    {
        E2EAssert.AllPassed(_run, "agent.allow-migrate-");
    }

    [Fact]
    public void PrepareSource_Should_ChangeNothing_When_RunTwice()
    {
        E2EAssert.Passed(_run, "agent.idempotent");
    }

    [Fact]
    public void PrepareSource_Should_RebindOnlyTheUnboundVf_When_OthersAreAlreadyBound()
    {
        E2EAssert.Passed(_run, "agent.already-bound");
        E2EAssert.AllPassed(_run, "already-bound.");
    }

    [Fact]
    public void PrepareSource_Should_GoThroughZero_When_ShrinkingThreeToTwo()
    {
        // The kernel refuses a direct non-zero change (kernel.numvfs-ebusy), so reaching 2 means via 0.
        E2EAssert.Passed(_run, "kernel.numvfs-ebusy");
        E2EAssert.Passed(_run, "agent.shrink");
        E2EAssert.AllPassed(_run, "shrink.");
    }

    [Fact]
    public void Release_Should_RestoreBootState()
    {
        E2EAssert.Passed(_run, "agent.release");
    }

    [Fact]
    public void BadInput_Should_BeRefusedAndChangeNothing()
    {
        E2EAssert.Passed(_run, "agent.bad-numvfs");
        E2EAssert.Passed(_run, "agent.bad-address");
        E2EAssert.Passed(_run, "agent.bad-queues");
        E2EAssert.Passed(_run, "agent.bad-input-unchanged");
    }

    [Theory]
    [InlineData("numvfs")]
    [InlineData("bind")]
    public void PrepareSource_Should_Converge_When_KilledBetweenStepsAndRerun(string killPoint)
    {
        E2EAssert.AllPassed(_run, $"kill.{killPoint}.");
    }

    [Fact]
    public void EveryMarker_Should_Pass_And_GuestFinish()
    {
        // Catches a failing marker no other test names (a new guest check, a helper's own error).
        E2EAssert.AllPassed(_run, string.Empty);
        E2EAssert.Finished(_run);
    }
}
