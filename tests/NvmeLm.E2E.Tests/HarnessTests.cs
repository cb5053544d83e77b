using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The harness itself on the real kernel, without the agent: packages and kernel installed, the guest
/// booted and finished, the kernel's SR-IOV rules as the reference records them, and the plain-shell
/// prepare (the benchmark floor) works and tears down cleanly.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class HarnessTests(E2ERunFixture fixture)
{
    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void HostSetup_Should_InstallPackagesAndFetchKernel()
    {
        E2EAssert.Passed(_run, "host.install");
        E2EAssert.Passed(_run, "host.kernel");
    }

    [Fact]
    public void Guest_Should_FindSriovPfAndFinish()
    {
        E2EAssert.Passed(_run, "guest.pf");
        E2EAssert.Finished(_run);
    }

    [Fact]
    public void Kernel_Should_RejectNumVfsAboveTotalAndNonZeroChangeAndDoubleBind()
    {
        E2EAssert.Passed(_run, "kernel.numvfs-erange");
        E2EAssert.Passed(_run, "kernel.numvfs-ebusy");
        E2EAssert.Passed(_run, "kernel.bind-bound-ebusy");
    }

    [Fact]
    public void ShellBaseline_Should_PrepareThreeVfsAndRestoreBootState()
    {
        E2EAssert.AllPassed(_run, "baseline.");
        Assert.True(_run.Markers.TimingsMs.ContainsKey("baseline.prepare-3vfs"), "baseline timing missing" + _run.Diagnostics());
    }
}
