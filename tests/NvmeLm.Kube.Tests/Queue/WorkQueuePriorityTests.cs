using NvmeLm.Kube.Metrics;
using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Tests.Queue;

/// <summary>The work queue's priorities: higher first, FIFO within one priority, a re-queued key moves up.</summary>
public sealed class WorkQueuePriorityTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static WorkQueue<string> NewQueue(Func<string, int> priority, int maxConcurrency = 1) =>
        new(new WorkQueueOptions { Name = "priority", MaxConcurrency = maxConcurrency },
            new KubeMetrics(Prometheus.Metrics.NewCustomRegistry()), priority: priority);

    private static async Task<List<string>> DrainAsync(WorkQueue<string> queue)
    {
        var order = new List<string>();
        while (queue.Depth > 0)
        {
            var key = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);
            order.Add(key);
            queue.Done(key);
        }

        return order;
    }

    [Fact]
    public async Task DequeueAsync_Should_HandOutHigherPriorityFirst_When_AddedLater()
    {
        var priorities = new Dictionary<string, int> { ["prep-1"] = 0, ["prep-2"] = 0, ["suspended"] = 10, ["prep-3"] = 0 };
        using var queue = NewQueue(k => priorities[k]);
        foreach (var key in new[] { "prep-1", "prep-2", "suspended", "prep-3" })
        {
            queue.Add(key);
        }

        Assert.Equal(["suspended", "prep-1", "prep-2", "prep-3"], await DrainAsync(queue));
    }

    [Fact]
    public async Task Add_Should_MoveAWaitingKeyUp_When_ItsPriorityRose()
    {
        var priorities = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        using var queue = NewQueue(k => priorities[k]);
        queue.Add("a");
        queue.Add("b");
        queue.Add("c");

        // "c" entered its critical section while it waited: queued again, it goes first, and only once.
        priorities["c"] = 5;
        queue.Add("c");

        Assert.Equal(3, queue.Depth);
        Assert.Equal(["c", "a", "b"], await DrainAsync(queue));
    }

    [Fact]
    public async Task Add_Should_KeepAKeysPlace_When_QueuedAgainWithALowerPriority()
    {
        var priorities = new Dictionary<string, int> { ["a"] = 0, ["b"] = 5 };
        using var queue = NewQueue(k => priorities[k]);
        queue.Add("a");
        queue.Add("b");
        priorities["b"] = 0;
        queue.Add("b");

        Assert.Equal(["b", "a"], await DrainAsync(queue));
    }

    [Fact]
    public async Task Done_Should_RequeueWithTheCurrentPriority_When_KeyWasAddedWhileProcessed()
    {
        var priorities = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        using var queue = NewQueue(k => priorities[k]);
        queue.Add("a");
        var first = await queue.DequeueAsync(CancellationToken.None).WaitAsync(s_wait);
        queue.Add("b");
        queue.Add("a");
        priorities["a"] = 1;

        queue.Done(first);

        Assert.Equal(["a", "b"], await DrainAsync(queue));
    }
}
