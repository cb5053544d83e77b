using k8s.Models;

namespace NvmeLm.Charts.Tests;

/// <summary>The chart's security and availability promises, as rendered: what a cluster admin's policy checks would look at.</summary>
public sealed class ChartHardeningTests
{
    [Theory]
    [InlineData("operator.replicas=1")]
    [InlineData("operator.replicas=3")]
    public async Task Operator_Should_RunNonRootReadOnlyWithoutCapabilities(string replicas)
    {
        var pod = (await HelmChart.TemplateAsync(replicas)).OfType<V1Deployment>().Single().Spec.Template.Spec;
        var container = pod.Containers.Single();

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(65532, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.Null(pod.HostPID);
        Assert.All(pod.Volumes, v => Assert.Null(v.HostPath));
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");
    }

    [Fact]
    public async Task PodDisruptionBudget_Should_KeepOneLeaderCandidateAndSpreadReplicas_When_ReplicasAboveOne()
    {
        var objects = await HelmChart.TemplateAsync("operator.replicas=3");
        var pdb = objects.OfType<V1PodDisruptionBudget>().Single();
        var deployment = objects.OfType<V1Deployment>().Single();

        Assert.Equal("1", pdb.Spec.MinAvailable.Value);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);
        var spread = deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Single();
        Assert.Equal("kubernetes.io/hostname", spread.PodAffinityTerm.TopologyKey);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, spread.PodAffinityTerm.LabelSelector.MatchLabels);
    }

    [Fact]
    public async Task PodDisruptionBudget_Should_NotRender_When_OneReplica()
    {
        var objects = await HelmChart.TemplateAsync("operator.replicas=1");

        Assert.Empty(objects.OfType<V1PodDisruptionBudget>());
        Assert.Null(objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Affinity);
    }

    [Fact]
    public async Task MetricsServices_Should_SelectEachComponentsMetricsPort()
    {
        var objects = await HelmChart.TemplateAsync();
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        var operatorPod = objects.OfType<V1Deployment>().Single().Spec.Template;
        var agentPod = objects.OfType<V1DaemonSet>().Single().Spec.Template;

        AssertSelects(services["demo-operator-metrics"], operatorPod, 8080);
        AssertSelects(services["demo-agent-metrics"], agentPod, 8081);
        Assert.Equal("None", services["demo-agent-metrics"].Spec.ClusterIP);
    }

    [Fact]
    public async Task Metrics_Should_RenderNoServiceNorMonitor_When_Disabled()
    {
        var objects = await HelmChart.TemplateAsync("metrics.enabled=false", "metrics.serviceMonitor.enabled=true");

        Assert.Empty(objects.OfType<V1Service>());
    }

    [Fact]
    public async Task ServiceMonitor_Should_ScrapeBothServices_When_Enabled()
    {
        string yaml = await HelmChart.RenderAsync(4, ["--namespace", "nvme-lm", "--set", "metrics.serviceMonitor.enabled=true",
            "--set", "metrics.serviceMonitor.labels.release=prometheus"]);
        var monitor = NvmeLm.DevCluster.YamlJson.ParseDocuments(yaml).Single(o => (string?)o["kind"] == "ServiceMonitor");
        var services = NvmeLm.DevCluster.YamlJson.ParseDocuments(yaml).Where(o => (string?)o["kind"] == "Service").ToList();

        Assert.Equal("prometheus", (string?)monitor["metadata"]!["labels"]!["release"]);
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.Equal(2, services.Count);
        Assert.All(services, s => Assert.All(selector, label => Assert.Equal((string?)label.Value, (string?)s["metadata"]!["labels"]![label.Key])));
        Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("25%", "25%")]
    public async Task AgentRollingUpdate_Should_NeverReplaceEveryAgentAtOnce(string maxUnavailable, string expected)
    {
        var strategy = (await HelmChart.TemplateAsync("agent.maxUnavailable=" + maxUnavailable)).OfType<V1DaemonSet>().Single().Spec.UpdateStrategy;

        Assert.Equal("RollingUpdate", strategy.Type);
        Assert.Equal(expected, strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal("0", strategy.RollingUpdate.MaxSurge.Value);
    }

    private static void AssertSelects(V1Service service, V1PodTemplateSpec pod, int port)
    {
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
        var servicePort = service.Spec.Ports.Single();
        Assert.Equal(port, servicePort.Port);
        Assert.Equal("metrics", servicePort.TargetPort.Value);
        Assert.Equal(port, pod.Spec.Containers.Single().Ports.Single(p => p.Name == "metrics").ContainerPort);
    }
}
