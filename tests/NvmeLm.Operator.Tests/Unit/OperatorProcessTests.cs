using k8s.Models;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Unit;

/// <summary>The built operator as a real process: SIGTERM (the kubelet) and SIGINT (Ctrl+C) stop it cleanly.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorProcessTests
{
    [Theory]
    [InlineData("TERM", true)]
    [InlineData("INT", false)]
    public async Task OperatorProcess_Should_ReleaseTheLeaseAndExitZero_When_Signalled(string signal, bool sigintIgnored)
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        const string Lease = "nvme-lm-operator-process";
        await using var process = ServiceProcess.StartDotnet(Path.Combine(AppContext.BaseDirectory, "NvmeLm.Operator.dll"),
            ["--kubeconfig", cluster.Server.KubeConfigPath, "--lease-name", Lease, "--lease-namespace", OperatorTestCluster.Namespace,
                "--identity", "operator-process", "--metrics-port", "0"],
            sigintIgnored);
        await process.WaitForLineAsync("operator-process became leader", TimeSpan.FromMinutes(1));

        await process.SignalAsync(signal);

        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit} after SIG{signal}:\n{process.Output}\n{process.Error}");
        Assert.Contains("Operator stopped", process.Output, StringComparison.Ordinal);
        // Released on the way out, so a new replica takes over at once instead of after the lease duration.
        V1Lease lease = await new ResourceClient<V1Lease>(cluster.Admin).GetAsync(new NamespacedName(OperatorTestCluster.Namespace, Lease), CancellationToken.None);
        Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity), $"the lease is still held by '{lease.Spec.HolderIdentity}'");
    }
}
