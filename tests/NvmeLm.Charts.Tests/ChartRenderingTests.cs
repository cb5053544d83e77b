using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

public sealed class ChartRenderingTests
{
    [Fact]
    public async Task Template_Should_RenderOperatorAgentRbacPolicyServicesAndCrds_When_DefaultValues()
    {
        var objects = await HelmChart.TemplateAsync();

        Assert.Single(objects.OfType<V1Deployment>());
        Assert.Single(objects.OfType<V1DaemonSet>());
        Assert.Equal(2, objects.OfType<V1ServiceAccount>().Count());
        Assert.Equal(2, objects.OfType<V1ClusterRole>().Count());
        Assert.Equal(2, objects.OfType<V1ClusterRoleBinding>().Count());
        Assert.Equal(["demo-agent-state", "demo-operator-state"], objects.OfType<V1Role>().Select(r => r.Metadata.Name).Order());
        Assert.Equal(2, objects.OfType<V1RoleBinding>().Count());
        Assert.Equal(["demo-agent-metrics", "demo-operator-metrics"], objects.OfType<V1Service>().Select(s => s.Metadata.Name).Order());
        Assert.Single(objects.OfType<V1ValidatingAdmissionPolicy>());
        Assert.Single(objects.OfType<V1ValidatingAdmissionPolicyBinding>());
        Assert.Empty(objects.OfType<V1PodDisruptionBudget>());
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
    public async Task Operator_Should_PassLeaderElectionStateNamespaceAndPodIdentity_When_Rendered()
    {
        var deployment = (await HelmChart.TemplateAsync("operator.replicas=2")).OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Contains("--leader-elect=true", container.Args);
        Assert.Contains("--lease-namespace=nvme-lm", container.Args);
        Assert.Contains("--state-namespace=nvme-lm", container.Args);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Null(container.Command);
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
        Assert.Equal(0, container.SecurityContext.RunAsUser);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(pod.HostPID);
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Contains("--metrics-port=8081", container.Args);
        Assert.Equal(["/dev", "/sys", "/var/lib/kubelet/device-plugins", "/var/lib/kubelet/pod-resources", "/var/lib/nvme-lm"],
            pod.Volumes.Where(v => v.HostPath is not null).Select(v => v.HostPath.Path).Order());
    }

    [Fact]
    public async Task Agent_Should_MountTheKubeletDirectoriesAndPassThem_When_DevicePluginOnLinux()
    {
        var pod = (await HelmChart.TemplateAsync("agent.devicePlugin.kubeletDir=/data/kubelet")).OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var container = pod.Containers.Single();

        Assert.Contains("--device-plugin-dir=/data/kubelet/device-plugins", container.Args);
        Assert.Contains("--pod-resources-socket=/data/kubelet/pod-resources/kubelet.sock", container.Args);
        // The directories, never the sockets: a restarted kubelet deletes and recreates them.
        foreach (string directory in new[] { "/data/kubelet/device-plugins", "/data/kubelet/pod-resources" })
        {
            var volume = pod.Volumes.Single(v => v.HostPath?.Path == directory);
            Assert.Equal("Directory", volume.HostPath.Type);
            Assert.Equal(directory, container.VolumeMounts.Single(m => m.Name == volume.Name).MountPath);
        }
    }

    [Theory]
    [InlineData("agent.devicePlugin.enabled=false")]
    [InlineData("agent.hardware=emulated")]
    public async Task Agent_Should_ServeNoDevicePlugin_When_DisabledOrEmulated(string setValue)
    {
        var objects = await HelmChart.TemplateAsync(setValue);
        var pod = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec;

        Assert.Contains("--no-device-plugin", pod.Containers.Single().Args);
        Assert.DoesNotContain(pod.Volumes, v => v.HostPath?.Path?.StartsWith("/var/lib/kubelet", StringComparison.Ordinal) == true);
        Assert.False(ChartGrants.For(objects, "demo-agent").Allows("", "pods", "get", "default"));
    }

    [Fact]
    public async Task Agent_Should_UseTheImagesSampleHostWithoutAnyPrivilege_When_EmulatedHardware()
    {
        var pod = (await HelmChart.TemplateAsync("agent.hardware=emulated")).OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var container = pod.Containers.Single();

        Assert.Contains("--emulated-config=/app/emulated-host.json", container.Args);
        Assert.Contains("--emulated-state=/var/lib/nvme-lm/emulated-host.state.json", container.Args);
        Assert.Null(pod.HostPID);
        Assert.All(pod.Volumes, v => Assert.Null(v.HostPath));
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.Null(container.SecurityContext.Privileged);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
    }

    [Fact]
    public async Task Agent_Should_MountTheGivenHostFile_When_EmulatedConfigIsSet()
    {
        string hostConfig = RepositoryPaths.Combine("node-agent", "NvmeLm.Hardware", "Emulated", "sample-host.json");
        var objects = await HelmChart.TemplateWithArgumentsAsync(
            "--set", "agent.hardware=emulated", "--set-file", "agent.emulatedConfig=" + hostConfig);
        var container = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single();

        Assert.Equal(File.ReadAllText(hostConfig), objects.OfType<V1ConfigMap>().Single().Data["host.json"]);
        Assert.Contains("--emulated-config=/etc/nvme-lm/host.json", container.Args);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/etc/nvme-lm" && m.ReadOnlyProperty == true);
    }
}
