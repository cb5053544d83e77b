using Microsoft.Extensions.Time.Testing;
using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Queue;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static WorkQueue<string> NewQueue(int maxConcurrency = 1, ExponentialBackoff? backoff = null, KubeMetrics? metrics = null) =>
        new(new WorkQueueOptions { Name = "test", MaxConcurrency = maxConcurrency, Backoff = backoff ?? ExponentialBackoff.Default },
            metrics ?? new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()));

    [Fact]
    public async Task Add_Should_KeepOneEntry_When_KeyAddedRepeatedly()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait));
        queue.Done("a");
        Assert.Equal("b", await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait));
        queue.Done("b");
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task DequeueAsync_Should_NotHandOutKey_When_SameKeyIsBeingProcessed()
    {
        using var queue = NewQueue(maxConcurrency: 4);
        queue.Add("a");
        var first = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);

        // Added again while processing: it must wait until Done, and come back exactly once.
        queue.Add("a");
        queue.Add("a");
        var second = queue.DequeueAsync(CancellationToken.None);
        // No wait needed: the queue decides under its lock, in this very call (a ready key is returned at once), and a
        // parked waiter is only woken by Add of a key not being processed or by Done, neither of which happens here.
        Assert.False(second.IsCompleted);
        Assert.Equal(0, queue.Depth);

        queue.Done(first);
        Assert.Equal("a", await second.WaitAsync(s_wait));
        queue.Done("a");
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task DequeueAsync_Should_RespectConcurrencyLimit_When_ManyKeysReady()
    {
        using var queue = NewQueue(maxConcurrency: 2);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            queue.Add(key);
        }

        var k1 = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);
        var k2 = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);
        var third = queue.DequeueAsync(CancellationToken.None);

        // Decided in the call, as above: two keys out is the limit, and only Done wakes the waiter.
        Assert.False(third.IsCompleted);
        Assert.Equal(2, queue.ProcessingCount);
        queue.Done(k1);
        var k3 = await third.WaitAsync(s_wait);
        Assert.Equal(new[] { "a", "b", "c" }, new[] { k1, k2, k3 });
        Assert.Equal(2, queue.ProcessingCount);
    }

    [Fact]
    public async Task Workers_Should_NeverProcessOneKeyConcurrently_When_KeysAreAddedDuringProcessing()
    {
        using var queue = NewQueue(maxConcurrency: 8);
        var inFlight = new Dictionary<string, int>();
        var maxPerKey = 0;
        var maxTotal = 0;
        var total = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();

        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                string key;
                try
                {
                    key = await queue.DequeueAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (inFlight)
                {
                    inFlight[key] = inFlight.GetValueOrDefault(key) + 1;
                    maxPerKey = Math.Max(maxPerKey, inFlight[key]);
                    total++;
                    maxTotal = Math.Max(maxTotal, total);
                }

                await Task.Delay(1);
                lock (inFlight)
                {
                    inFlight[key]--;
                    total--;
                    processed++;
                }

                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(Worker)).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            queue.Add("key-" + (i % 5));
            if (i % 50 == 0)
            {
                await Task.Delay(1);
            }
        }

        await Eventually.TrueAsync(() => queue.Depth == 0 && queue.ProcessingCount == 0, "every added key processed");

        stop.Cancel();
        await Task.WhenAll(workers).WaitAsync(s_wait);

        Assert.Equal(1, maxPerKey);
        Assert.InRange(maxTotal, 1, 5);
        Assert.InRange(processed, 5, 2000);
    }

    [Fact]
    public void ExponentialBackoff_Should_DoubleAndCap_When_FailuresGrow()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, backoff.GetDelay(0));
        Assert.Equal(TimeSpan.FromMilliseconds(5), backoff.GetDelay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), backoff.GetDelay(2));
        Assert.Equal(TimeSpan.FromMilliseconds(640), backoff.GetDelay(8));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.GetDelay(9));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.GetDelay(1_000_000));
    }

    [Fact]
    public async Task AddRateLimited_Should_KeepRequeueingWithCappedDelay_When_KeyFailsManyTimes()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new KubeMetrics(registry);
        using var queue = NewQueue(backoff: new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(8)), metrics: metrics);
        queue.Add("a");

        // Far more failures than KubeOps' 5-retry limit: the key must come back every time.
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 30; i++)
        {
            var key = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);
            delays.Add(queue.AddRateLimited(key));
            queue.Done(key);
        }

        Assert.Equal(30, queue.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(8), delays.Max());
        Assert.Equal(TimeSpan.FromMilliseconds(8), delays[^1]);
        Assert.Equal(30, metrics.WorkqueueRetries.WithLabels("test").Value);

        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
    }

    [Fact]
    public async Task AddAfter_Should_QueueKeyOnlyAfterDelay_When_DelayPositive()
    {
        // A fake clock: under load a wall-clock version of this test saw the delay elapse "early".
        var clock = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(
            new WorkQueueOptions { Name = "test" }, new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()), clock);
        queue.AddAfter("a", TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, queue.Depth);
        Assert.Equal(1, queue.DelayedCount);
        var dequeue = queue.DequeueAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(dequeue.IsCompleted);
        Assert.Equal(1, queue.DelayedCount);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await dequeue.WaitAsync(s_wait));
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public async Task AddAfter_Should_KeepEarlierTime_When_LaterDelayRequestedForSameKey()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromMilliseconds(50));
        queue.AddAfter("a", TimeSpan.FromHours(1));

        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait));
    }

    [Fact]
    public void Metrics_Should_TrackDepthAndAdds_When_KeysQueued()
    {
        var metrics = new KubeMetrics(Prometheus.Metrics.NewCustomRegistry());
        using var queue = NewQueue(metrics: metrics);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, metrics.WorkqueueDepth.WithLabels("test").Value);
        Assert.Equal(2, metrics.WorkqueueAdds.WithLabels("test").Value);
    }

    [Fact]
    public void Done_Should_Throw_When_KeyWasNotHandedOut()
    {
        using var queue = NewQueue();
        Assert.Throws<InvalidOperationException>(() => queue.Done("never"));
    }

    [Fact]
    public void Constructor_Should_Reject_When_ConcurrencyBelowOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewQueue(maxConcurrency: 0));
    }

    [Fact]
    public async Task DequeueAsync_Should_Cancel_When_TokenFires()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DequeueAsync(cts.Token));
    }
}
