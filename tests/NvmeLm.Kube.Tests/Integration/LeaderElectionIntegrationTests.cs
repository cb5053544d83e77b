using k8s;
using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Leadership;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

[Collection(ApiServerCollection.Name)]
public sealed class LeaderElectionIntegrationTests
{
    private static readonly NamespacedName s_lease = new("default", "nvmelm-test");
    private static readonly TimeSpan s_leaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_retryPeriod = TimeSpan.FromMilliseconds(200);

    private static LeaderElector NewElector(Kubernetes kubernetes, string identity, bool releaseOnShutdown = true, TimeProvider? time = null) => new(
        kubernetes,
        new LeaderElectionOptions
        {
            LeaseName = s_lease.Name,
            LeaseNamespace = s_lease.Namespace!,
            Identity = identity,
            LeaseDuration = s_leaseDuration,
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = s_retryPeriod,
            ClockSkewTolerance = TimeSpan.FromSeconds(1),
            ReleaseOnShutdown = releaseOnShutdown,
        },
        metrics: new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()),
        timeProvider: time);

    [Fact]
    public async Task Electors_Should_HaveOneLeaderAndHandOver_When_LeaderStops()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var clock = new ElectionClock(s_retryPeriod);
        var a = NewElector(kubernetes, "a", time: clock.Time);
        var b = NewElector(kubernetes, "b", time: clock.Time);
        var leading = 0;
        var maxLeading = 0;
        foreach (var elector in new[] { a, b })
        {
            elector.StartedLeading += () =>
            {
                var now = Interlocked.Increment(ref leading);
                InterlockedMax(ref maxLeading, now);
            };
            elector.StoppedLeading += _ => Interlocked.Decrement(ref leading);
        }

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        var runB = b.RunAsync(stopB.Token);

        await clock.StartedAsync(a, b);
        await clock.StepUntilAsync([a, b], () => a.IsLeader || b.IsLeader, "a leader", maxSteps: 5);
        // The other keeps trying, attempt after attempt, and keeps finding the lease renewed.
        for (int i = 0; i < 5; i++)
        {
            await clock.StepAsync([a, b]);
            Assert.True(a.IsLeader ^ b.IsLeader);
        }

        var (leader, follower, stopLeader, runLeader) = a.IsLeader ? (a, b, stopA, runA) : (b, a, stopB, runB);
        var term = await leader.WaitForLeadershipAsync(CancellationToken.None);

        stopLeader.Cancel();
        await runLeader.WaitAsync(Eventually.DefaultTimeout);

        Assert.True(term.IsCancellationRequested);
        // Released on shutdown: the follower takes over at its very next attempt, not after the lease duration.
        await clock.StepAsync([follower]);
        Assert.True(follower.IsLeader);
        var lease = await new ResourceClient<V1Lease>(kubernetes).GetAsync(s_lease, CancellationToken.None);
        Assert.Equal(follower.Identity, lease.Spec.HolderIdentity);
        Assert.True(lease.Spec.LeaseTransitions >= 1);
        stopA.Cancel();
        stopB.Cancel();
        await Task.WhenAll(runA, runB).WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(1, Volatile.Read(ref maxLeading));
    }

    [Fact]
    public async Task Follower_Should_TakeOverAfterLeaseDuration_When_LeaderDiesWithoutRelease()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var clock = new ElectionClock(s_retryPeriod);
        var crashing = NewElector(kubernetes, "crashing", releaseOnShutdown: false, time: clock.Time);
        using var stopCrashing = new CancellationTokenSource();
        var runCrashing = crashing.RunAsync(stopCrashing.Token);
        await clock.StartedAsync(crashing);
        Assert.True(crashing.IsLeader);
        var survivor = NewElector(kubernetes, "survivor", time: clock.Time);
        using var stopSurvivor = new CancellationTokenSource();
        var runSurvivor = survivor.RunAsync(stopSurvivor.Token);
        await clock.StartedAsync(survivor);
        for (int i = 0; i < 3; i++)
        {
            await clock.StepAsync([crashing, survivor]);
            Assert.False(survivor.IsLeader);
        }

        stopCrashing.Cancel();
        await runCrashing.WaitAsync(Eventually.DefaultTimeout);

        // The crashed leader never released: the survivor waits out a full lease duration after the last renewal it
        // saw (which it may see one attempt late, when it read just before that renewal), and takes over right after.
        TimeSpan took = await clock.StepUntilAsync([survivor], () => survivor.IsLeader, "takeover once the lease expired", maxSteps: 40);
        Assert.InRange(took, s_leaseDuration, s_leaseDuration + (2 * clock.Step));
        stopSurvivor.Cancel();
        await runSurvivor.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task LostLease_Should_CancelInFlightReconcile_And_AllowLeadingAgain()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        var elector = NewElector(kubernetes, "a");
        var informer = new Informer<TestWidget>(widgets, new InformerOptions { Namespace = "default" }, metrics: metrics);
        var reconciler = new BlockingReconciler();
        var controller = new Controller<TestWidget>(informer, reconciler, new ControllerOptions { Name = "widgets" }, elector, metrics: metrics);
        using var stop = new CancellationTokenSource();
        var runs = Task.WhenAll(informer.RunAsync(stop.Token), elector.RunAsync(stop.Token), controller.RunAsync(stop.Token));
        await Eventually.TrueAsync(() => reconciler.Started == 1, "reconcile running under the first term");

        // Another process takes the lease: the running reconcile must be cancelled, the process keeps going.
        var leases = new ResourceClient<V1Lease>(kubernetes);
        var lease = await leases.GetAsync(s_lease, CancellationToken.None);
        lease.Spec.HolderIdentity = "intruder";
        lease.Spec.RenewTime = DateTime.UtcNow;
        await leases.ReplaceAsync(lease, CancellationToken.None);

        await Eventually.TrueAsync(() => reconciler.Cancelled == 1, "in-flight reconcile cancelled");
        Assert.False(elector.IsLeader);

        // The intruder never renews: after its lease duration the elector leads again and the key is retried.
        await Eventually.TrueAsync(() => elector.IsLeader && reconciler.Started == 2, "second term", TimeSpan.FromSeconds(10));
        stop.Cancel();
        await runs.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Leader_Should_KeepTerm_When_RenewalsConflictBrieflyWithinDeadline()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var clock = new ElectionClock(s_retryPeriod);
        var elector = NewElector(kubernetes, "a", time: clock.Time);
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);
        await clock.StartedAsync(elector);
        var term = await elector.WaitForLeadershipAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        // Two renewals (~0.5 s) answered 409: well inside the 2 s renew deadline, so the term survives them...
        server.Faults.FailNext(2, 409, new RequestMatch(Verb: "update", Resource: "leases"));
        await clock.StepAsync([elector]);
        await clock.StepAsync([elector]);
        Assert.Equal(2, server.Faults.Injected);
        Assert.True(elector.IsLeader);
        // ...and the next renewal succeeds within the same term.
        await clock.StepAsync([elector]);

        Assert.False(term.IsCancellationRequested);
        Assert.True(elector.IsLeader);
        Assert.Null(elector.LastError);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
        Assert.True(term.IsCancellationRequested);
    }

    [Fact]
    public async Task Leader_Should_StepDown_When_RenewalsFailPastDeadline()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var elector = NewElector(kubernetes, "a");
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);
        var term = await elector.WaitForLeadershipAsync(CancellationToken.None).WaitAsync(Eventually.DefaultTimeout);

        // ~3 s of failing lease calls: past the 2 s renew deadline.
        server.Faults.FailNext(15, 500, new RequestMatch(Resource: "leases"));
        await Eventually.TrueAsync(() => term.IsCancellationRequested, "term cancelled after the renew deadline");
        Assert.False(elector.IsLeader);
        Assert.IsType<KubeApiException>(elector.LastError);

        await Eventually.TrueAsync(() => elector.IsLeader, "leads again once the API recovers", TimeSpan.FromSeconds(15));
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Candidate_Should_HonourHoldersLeaseDuration_When_ItIsLongerThanOwn()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var clock = new ElectionClock(s_retryPeriod);
        await CreateLeaseAsync(kubernetes, "ghost", clock.Time.GetUtcNow().UtcDateTime, durationSeconds: 30);
        var elector = NewElector(kubernetes, "a", time: clock.Time);
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);
        await clock.StartedAsync(elector);

        // Our own duration is 3 s; the holder asked for 30 s, and its lease is what counts (csharp #1640): attempts
        // every second find it valid until 30 s have passed, then the first one takes it.
        TimeSpan took = await clock.StepUntilAsync([elector], () => elector.IsLeader, "takeover of the ghost's lease", maxSteps: 40, by: TimeSpan.FromSeconds(1));

        Assert.InRange(took, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31));
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    [Fact]
    public async Task Candidate_Should_TakeOverAtOnce_When_LeaseRenewTimeIsLongPast()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        await CreateLeaseAsync(kubernetes, "crashed-an-hour-ago", DateTime.UtcNow.AddHours(-1), durationSeconds: 30);
        var elector = NewElector(kubernetes, "a");
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);

        // Judging only by local observation would wait the holder's 30 s; renewTime shows it is long dead (#1599).
        await Eventually.TrueAsync(() => elector.IsLeader, "takeover of a long-expired lease", TimeSpan.FromSeconds(10));

        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    private static Task<V1Lease> CreateLeaseAsync(Kubernetes kubernetes, string holder, DateTime renewTime, int durationSeconds) =>
        new ResourceClient<V1Lease>(kubernetes).CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = s_lease.Name, NamespaceProperty = s_lease.Namespace },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = holder,
                LeaseDurationSeconds = durationSeconds,
                AcquireTime = renewTime,
                RenewTime = renewTime,
            },
        }, CancellationToken.None);

    [Fact]
    public async Task RunAsync_Should_SurfaceErrors_When_LeaseCallsFail()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var elector = NewElector(kubernetes, "a");
        var errors = new List<Exception>();
        elector.Error += e =>
        {
            lock (errors)
            {
                errors.Add(e);
            }
        };
        server.Faults.FailNext(3, 403, new RequestMatch(Resource: "leases"));
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => elector.IsLeader, "leader once the API answers again");

        lock (errors)
        {
            Assert.Equal(3, errors.Count);
            Assert.All(errors, e => Assert.Equal(System.Net.HttpStatusCode.Forbidden, Assert.IsType<KubeApiException>(e).StatusCode));
        }

        Assert.Null(elector.LastError);
        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultTimeout);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class BlockingReconciler : IReconciler
    {
        private int _started;
        private int _cancelled;

        public int Started => Volatile.Read(ref _started);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }

            return ReconcileResult.Success();
        }
    }
}
