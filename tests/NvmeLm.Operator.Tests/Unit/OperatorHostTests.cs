using NvmeLm.Operator.Cli;
using NvmeLm.Operator.Tests.Infrastructure;

namespace NvmeLm.Operator.Tests.Unit;

[Collection(IntegrationCollection.Name)]
public sealed class OperatorHostTests
{
    [Fact]
    public async Task OperatorHost_Should_ServeHealthReadinessAndMetrics_When_HttpPortIsSet()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await using var host = await NvmeLm.Operator.Hosting.OperatorHost.StartAsync(new NvmeLm.Operator.Hosting.OperatorHostOptions
        {
            Kubernetes = cluster.Server.CreateClient("operator"),
            LeaderElection = false,
            HttpPort = 0,
            HttpAddress = System.Net.IPAddress.Loopback,
            Metrics = new NvmeLm.Kube.Metrics.KubeMetrics(Prometheus.Metrics.NewCustomRegistry()),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}") };

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("workqueue_depth{name=\"nvmemigration\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("nvmelm_migration_phase_transitions_total", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--max-concurrent-migrations", "0")]
    public async Task OperatorCommand_Should_ExitWithUsageError_When_AFlagIsOutOfRange(string flag, string value)
    {
        var exitCode = await OperatorCommand.Create().Parse([flag, value, "--kubeconfig", "/nonexistent/kubeconfig"]).InvokeAsync();

        Assert.Equal(2, exitCode);
    }
}
