using NvmeLm.DevCluster;
using NvmeLm.DevCluster.KubeVirt;

namespace NvmeLm.Integration.Tests;

/// <summary><c>demo --kubevirt</c> in-process: today's KubeVirt refuses, a KubeVirt that migrates VFIO devices moves the VM with its prepared VF.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubeVirtDemoTests
{
    [Fact]
    public async Task KubeVirtDemo_Should_ShowTheRefusalThenTheVmmFlow_When_RunWithJson()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await new DemoRunner(new DemoOptions { KubeVirt = true, Json = true }, output, error).RunAsync(CancellationToken.None);

        var report = DemoJson.Deserialize<KubeVirtDemoReport>(output.ToString());
        Assert.NotNull(report);
        Assert.True(report.Passed, string.Join("; ", report.Problems) + error);
        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.Equal([KubeVirtDemo.RefuseLabel, KubeVirtDemo.MigrateLabel], report.Scenarios.Select(s => s.Label));
        var refused = report.Scenarios[0];
        Assert.Equal(("Failed", "VmiNotLiveMigratable", 0), (refused.Phase, refused.FailureReason, refused.OperatorWrites));
        Assert.Equal("worker-1", refused.VmiNode);
        var migrated = report.Scenarios[1];
        Assert.Equal("Succeeded", migrated.Phase);
        Assert.Equal("worker-2", migrated.VmiNode);
        Assert.NotNull(migrated.PreparedVf);
        Assert.Equal(migrated.PreparedVf, migrated.VmiPodVf);
        Assert.True(migrated.SourceVfBackInPool, $"source VF {migrated.SourceVf} back in the pool");
        Assert.Contains(migrated.Steps, s => s.StartsWith("VerifyTargetPod worker-2 Succeeded", StringComparison.Ordinal));
        Assert.DoesNotContain(migrated.Steps, s => s.StartsWith("Suspend ", StringComparison.Ordinal) || s.StartsWith("Resume ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KubeVirtDemo_Should_ExitTwo_When_CombinedWithFailAt()
    {
        var error = new StringWriter();

        var exit = await new DemoRunner(new DemoOptions { KubeVirt = true, FailAt = "Resume" }, new StringWriter(), error).RunAsync(CancellationToken.None);

        Assert.Equal(DemoRunner.ExitUsage, exit);
        Assert.Contains("--kubevirt", error.ToString(), StringComparison.Ordinal);
    }
}
