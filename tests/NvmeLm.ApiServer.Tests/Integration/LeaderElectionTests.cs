using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task LeaseLock_Should_ElectExactlyOneLeader_AndHandOverWhenItStops()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var clientA = server.CreateClient("operator-a");
        using var clientB = server.CreateClient("operator-b");
        var config = (string identity, k8s.Kubernetes client) => new LeaderElectionConfig(new LeaseLock(client, "kube-system", "nvmelm-operator", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2), // whole seconds: the Lease stores leaseDurationSeconds
            RenewDeadline = TimeSpan.FromMilliseconds(1500),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        using var electorA = new LeaderElector(config("operator-a", clientA));
        using var electorB = new LeaderElector(config("operator-b", clientB));
        var aLeads = new TaskCompletionSource();
        var bLeads = new TaskCompletionSource();
        electorA.OnStartedLeading += () => aLeads.TrySetResult();
        electorB.OnStartedLeading += () => bLeads.TrySetResult();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();

        var runA = electorA.RunUntilLeadershipLostAsync(stopA.Token);
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var runB = electorB.RunUntilLeadershipLostAsync(stopB.Token);
        // B's attempts are what could make it lead: wait until it has read the held lease several times (a retry each
        // 100 ms), then it must still not lead.
        int readsBefore = LeaseReadsBy(server, "operator-b");
        await Eventually.TrueAsync(() => LeaseReadsBy(server, "operator-b") >= readsBefore + 5, "operator-b's attempts at the held lease");
        Assert.False(bLeads.Task.IsCompleted, "only one elector may lead while the lease is held");

        await stopA.CancelAsync();
        await bLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stopB.CancelAsync();
        await Task.WhenAll(Swallow(runA), Swallow(runB));

        Assert.Contains(server.Audit.Snapshot(), r => r.Resource == "leases" && r.Identity == "operator-b" && r.Verb == "update" && r.StatusCode == 200);
    }

    private static int LeaseReadsBy(EmbeddedApiServer server, string identity) =>
        server.Audit.Snapshot().Count(r => r.Resource == "leases" && r.Verb == "get" && r.Identity == identity);

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }
}
