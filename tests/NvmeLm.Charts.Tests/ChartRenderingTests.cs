using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

public sealed class ChartRenderingTests
{
    [Fact]
    public async Task Lint_Should_Pass_When_DefaultValues()
    {
        var result = await HelmChart.HelmAsync("lint", HelmChart.ChartDirectory, "--strict");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Template_Should_RenderOperatorAgentRbacAndCrds_When_DefaultValues()
    {
        var objects = await HelmChart.TemplateAsync();

        Assert.Single(objects.OfType<V1Deployment>());
        Assert.Single(objects.OfType<V1DaemonSet>());
        Assert.Equal(2, objects.OfType<V1ServiceAccount>().Count());
        Assert.Equal(2, objects.OfType<V1ClusterRole>().Count());
        Assert.Equal(2, objects.OfType<V1ClusterRoleBinding>().Count());
        Assert.Equal(
            ["nvmemigrations.nvmelm.io", "nvmenodes.nvmelm.io", "nvmevfpools.nvmelm.io"],
            objects.OfType<V1CustomResourceDefinition>().Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task Crds_Should_BeKeptOnUninstall_When_KeepIsDefault()
    {
        var crds = (await HelmChart.TemplateAsync()).OfType<V1CustomResourceDefinition>();

        Assert.All(crds, crd => Assert.Equal("keep", crd.Metadata.Annotations["helm.sh/resource-policy"]));
    }

    [Fact]
    public async Task Crds_Should_NotRender_When_InstallDisabled()
    {
        var objects = await HelmChart.TemplateAsync("crds.install=false");

        Assert.Empty(objects.OfType<V1CustomResourceDefinition>());
    }

    [Fact]
    public async Task Operator_Should_PassLeaderElectionAndPodIdentity_When_Rendered()
    {
        var deployment = (await HelmChart.TemplateAsync("operator.replicas=2")).OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Contains("--leader-elect=true", container.Args);
        Assert.Contains("--lease-namespace=nvme-lm", container.Args);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal(false, container.SecurityContext.AllowPrivilegeEscalation);
    }

    [Fact]
    public async Task Agent_Should_BePrivilegedWithHostSysAndDev_When_LinuxHardware()
    {
        var daemonSet = (await HelmChart.TemplateAsync()).OfType<V1DaemonSet>().Single();
        var pod = daemonSet.Spec.Template.Spec;
        var container = pod.Containers.Single();

        Assert.Equal("run", container.Args[0]);
        Assert.Contains("--node-name=$(NODE_NAME)", container.Args);
        Assert.Contains("--hardware=linux", container.Args);
        Assert.Equal("spec.nodeName", container.Env.Single(e => e.Name == "NODE_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.True(container.SecurityContext.Privileged);
        Assert.True(pod.HostPID);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Contains("--metrics-port=8081", container.Args);
        Assert.Equal(["/dev", "/sys", "/var/lib/nvme-lm"], pod.Volumes.Select(v => v.HostPath.Path).Order());
    }

    [Fact]
    public async Task Agent_Should_MountEmulatedHostAndDropPrivilege_When_EmulatedHardware()
    {
        string hostConfig = RepositoryPaths.Combine("node-agent", "NvmeLm.Hardware", "Emulated", "sample-host.json");
        var objects = await HelmChart.TemplateWithArgumentsAsync(
            "--set", "agent.hardware=emulated", "--set-file", "agent.emulatedConfig=" + hostConfig);
        var container = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single();

        Assert.Equal(File.ReadAllText(hostConfig), objects.OfType<V1ConfigMap>().Single().Data["host.json"]);
        Assert.Contains("--emulated-config=/etc/nvme-lm/host.json", container.Args);
        Assert.Null(container.SecurityContext);
        Assert.Null(objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.HostPID);
        Assert.DoesNotContain(container.VolumeMounts, m => m.MountPath is "/sys" or "/dev");
    }

    [Theory]
    [InlineData("agent.hardware=emulated", "agent.hardware=emulated needs agent.emulatedConfig")]
    [InlineData("agent.hardware=bogus", "agent.hardware must be linux or emulated, not \"bogus\"")]
    public async Task Template_Should_FailWithClearMessage_When_ValuesAreInvalid(string setValue, string expectedMessage)
    {
        var result = await HelmChart.HelmAsync("template", "demo", HelmChart.ChartDirectory, "--set", setValue);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expectedMessage, result.StandardError);
    }
}
