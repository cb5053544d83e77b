using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.ApiServer.Faults;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Resources;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

[Collection(ApiServerCollection.Name)]
public sealed class ResourceHelpersIntegrationTests
{
    private static readonly NamespacedName s_key = new("default", "w1");

    [Fact]
    public async Task UpdateStatusAsync_Should_ReapplyMutationAndSucceed_When_ServerAnswersConflicts()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var created = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        server.Faults.FailNext(4, 409, new RequestMatch(Verb: "update", Resource: "widgets", Subresource: "status"));
        var calls = 0;

        var updated = await widgets.UpdateStatusAsync(s_key, w =>
        {
            calls++;
            w.Status ??= new TestWidget.WidgetStatus();
            w.Status.ObservedSize = w.Spec!.Size;
            w.Status.Conditions ??= new List<V1Condition>();
            return Conditions.Set(w.Status.Conditions, "Ready", Conditions.True, "Sized", null, w.Metadata.Generation, DateTimeOffset.UtcNow);
        }, CancellationToken.None);

        Assert.Equal(5, calls);
        Assert.Equal(3, updated!.Status!.ObservedSize);
        var stored = await widgets.GetAsync(s_key, CancellationToken.None);
        Assert.Equal(3, stored.Status!.ObservedSize);
        Assert.True(Conditions.IsTrueFor(stored.Status.Conditions, "Ready", created.Metadata.Generation));
        var statusWrites = server.Audit.Where(r => r.Verb == "update" && r.Resource == "widgets" && r.Subresource == "status");
        Assert.Equal(new[] { 409, 409, 409, 409, 200 }, statusWrites.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_Retry_When_ServerThrottlesOrFails()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 7), CancellationToken.None);
        server.Faults.FailNext(1, 429, new RequestMatch(Verb: "get", Resource: "widgets"));
        server.Faults.FailNext(1, 500, new RequestMatch(Verb: "update", Resource: "widgets", Subresource: "status"));

        var updated = await widgets.UpdateStatusAsync(s_key, w =>
        {
            w.Status = new TestWidget.WidgetStatus { ObservedSize = w.Spec!.Size };
            return true;
        }, CancellationToken.None);

        Assert.Equal(7, updated!.Status!.ObservedSize);
        Assert.Equal(2, server.Faults.Injected);
    }

    [Fact]
    public async Task UpdateSpecAsync_Should_NotConflictWithStatusWriterAndCostNoGet_When_StartingFromAStatusStaleCopy()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var cached = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        // Another writer (an agent) changes status after the copy was taken: a resourceVersion-checked PUT would be 409.
        await widgets.UpdateStatusAsync(s_key, w => (w.Status = new TestWidget.WidgetStatus { ObservedSize = 3 }) is not null, CancellationToken.None);
        server.Audit.Clear();

        var updated = await widgets.UpdateSpecAsync(s_key, cached, w => (w.Spec!.Size = 5) == 5, CancellationToken.None);

        Assert.Equal(5, updated!.Spec!.Size);
        Assert.Equal(3, updated.Status!.ObservedSize);
        Assert.Equal(cached.Metadata.Generation + 1, updated.Metadata.Generation);
        Assert.Equal(3, cached.Spec!.Size);
        Assert.Equal([("patch", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
    }

    [Fact]
    public async Task UpdateSpecAsync_Should_RereadAndReapply_When_TheSpecChangedSinceTheCopy()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var stale = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        await widgets.UpdateSpecAsync(s_key, null, w => (w.Spec!.Size = 10) == 10, CancellationToken.None);
        server.Audit.Clear();
        var seen = new List<int>();

        var updated = await widgets.UpdateSpecAsync(s_key, stale, w =>
        {
            seen.Add(w.Spec!.Size);
            w.Spec.Size += 1;
            return true;
        }, CancellationToken.None);

        // The stale copy's patch fails its generation test (422) and the edit is re-applied to the stored spec: nothing is lost.
        Assert.Equal([3, 10], seen);
        Assert.Equal(11, updated!.Spec!.Size);
        Assert.Equal([("patch", 422), ("get", 200), ("patch", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
    }

    [Fact]
    public async Task UpdateSpecAsync_Should_ThrowAtOnce_When_TheSpecIsInvalidOnAFreshCopy()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var cached = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        server.Faults.FailNext(1, 422, new RequestMatch(Verb: "patch", Resource: "widgets"));
        server.Audit.Clear();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => widgets.UpdateSpecAsync(s_key, cached, w => (w.Spec!.Size = 4) == 4, CancellationToken.None));

        // One patch, one GET that shows the copy was current: the refusal is the spec's, not a race, so no retry.
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal([("patch", 422), ("get", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
    }

    [Fact]
    public async Task UpdateSpecAsync_Should_ConfirmOnTheStoredObjectAndWriteNothing_When_MutationChangesNothing()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var cached = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        server.Audit.Clear();

        var calls = 0;
        var result = await widgets.UpdateSpecAsync(s_key, cached, _ => calls++ < 0, CancellationToken.None);

        Assert.Equal(3, result!.Spec!.Size);
        Assert.Equal(2, calls);
        Assert.Equal([("get", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
        Assert.Null(await widgets.UpdateSpecAsync(new NamespacedName("default", "absent"), null, _ => true, CancellationToken.None));
    }

    [Fact]
    public async Task SetStatusAsync_Should_WriteOverASpecChangeButNeverIntoARecreatedObject()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var copy = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        await widgets.UpdateSpecAsync(s_key, null, w => (w.Spec!.Size = 4) == 4, CancellationToken.None);
        server.Faults.FailNext(2, 500, new RequestMatch(Verb: "patch", Resource: "widgets", Subresource: "status"));

        copy.Status = new TestWidget.WidgetStatus { ObservedSize = 3 };
        var stored = await widgets.SetStatusAsync(copy, CancellationToken.None);

        Assert.Equal((4, 3), (stored.Spec!.Size, stored.Status!.ObservedSize));
        await widgets.DeleteAsync(s_key, CancellationToken.None);
        await widgets.CreateAsync(WidgetCrd.New("w1", 9), CancellationToken.None);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => widgets.SetStatusAsync(copy, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Null((await widgets.GetAsync(s_key, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task UpdateSpecAsync_Should_RereadAndRetry_When_ServerAnswersConflictOrThrottles()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var cached = await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);
        server.Faults.FailNext(1, 409, new RequestMatch(Verb: "patch", Resource: "widgets"));
        server.Faults.FailNext(1, 429, new RequestMatch(Verb: "patch", Resource: "widgets"));
        server.Audit.Clear();

        var updated = await widgets.UpdateSpecAsync(s_key, cached, w => (w.Spec!.Size = 6) == 6, CancellationToken.None);

        Assert.Equal(6, updated!.Spec!.Size);
        // Each retry starts from the stored object, after the back-off.
        Assert.Equal(new[] { ("patch", 409), ("get", 200), ("patch", 429), ("get", 200), ("patch", 200) },
            server.Audit.Snapshot().Where(r => r.Resource == "widgets").Select(r => (r.Verb, r.StatusCode)));
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_ThrowAtOnce_When_TheErrorIsNeitherAConflictNorTransient()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 7), CancellationToken.None);
        server.Faults.FailNext(1, 403, new RequestMatch(Verb: "update", Resource: "widgets", Subresource: "status"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => widgets.UpdateStatusAsync(s_key, w =>
        {
            w.Status = new TestWidget.WidgetStatus { ObservedSize = 1 };
            return true;
        }, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Single(server.Audit.Snapshot(), r => r.Verb == "update" && r.Resource == "widgets");
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_Throw_When_ConflictsOutlastAttempts()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 7), CancellationToken.None);
        server.Faults.FailNext(ObjectUpdater.MaxAttempts, 409, new RequestMatch(Verb: "update", Resource: "widgets", Subresource: "status"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => widgets.UpdateStatusAsync(s_key, w =>
        {
            w.Status = new TestWidget.WidgetStatus { ObservedSize = 1 };
            return true;
        }, CancellationToken.None));

        Assert.True(error.IsConflict);
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_SkipRead_When_StartingFromCachedObject()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var cached = await widgets.CreateAsync(WidgetCrd.New("w1", 5), CancellationToken.None);
        server.Audit.Clear();

        var updated = await widgets.UpdateStatusAsync(cached, w =>
        {
            w.Status = new TestWidget.WidgetStatus { ObservedSize = w.Spec!.Size };
            return true;
        }, CancellationToken.None);

        Assert.Equal(5, updated!.Status!.ObservedSize);
        Assert.Null(cached.Status);
        Assert.Equal(new[] { "update" }, server.Audit.Snapshot().Where(r => r.Resource == "widgets").Select(r => r.Verb));
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_RereadAndReapply_When_CachedObjectIsStale()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var stale = await widgets.CreateAsync(WidgetCrd.New("w1", 5), CancellationToken.None);
        var fresh = ObjectUpdater.Clone(stale);
        fresh.Spec!.Size = 9;
        await widgets.ReplaceAsync(fresh, CancellationToken.None);

        var updated = await widgets.UpdateStatusAsync(stale, w =>
        {
            w.Status = new TestWidget.WidgetStatus { ObservedSize = w.Spec!.Size };
            return true;
        }, CancellationToken.None);

        // The stale copy's PUT got 409; the retry read size 9 and re-applied the mutation to it.
        Assert.Equal(9, updated!.Status!.ObservedSize);
        Assert.Contains(server.Audit.Snapshot(), r => r.Resource == "widgets" && r.Subresource == "status" && r.StatusCode == 409);
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_NotWrite_When_MutationReportsNoChange()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 3), CancellationToken.None);

        var result = await widgets.UpdateStatusAsync(s_key, _ => false, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Empty(server.Audit.Where(r => r.Verb == "update" && r.Resource == "widgets"));
    }

    [Fact]
    public async Task UpdateStatusAsync_Should_ReturnNull_When_ObjectMissing()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);

        Assert.Null(await widgets.UpdateStatusAsync(s_key, _ => true, CancellationToken.None));
    }

    [Fact]
    public async Task Finalizers_Should_HoldDeletionUntilRemoved_When_Added()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        const string Finalizer = "test.nvmelm.io/cleanup";

        var withFinalizer = await widgets.AddFinalizerAsync(s_key, Finalizer, CancellationToken.None);
        var again = await widgets.AddFinalizerAsync(s_key, Finalizer, CancellationToken.None);
        Assert.Equal(new[] { Finalizer }, withFinalizer!.Metadata.Finalizers);
        Assert.Equal(new[] { Finalizer }, again!.Metadata.Finalizers);

        await widgets.DeleteAsync(s_key, CancellationToken.None);
        var deleting = await widgets.GetAsync(s_key, CancellationToken.None);
        Assert.True(Finalizers.IsBeingDeleted(deleting));

        await widgets.RemoveFinalizerAsync(s_key, Finalizer, CancellationToken.None);
        await Eventually.TrueAsync(async () => await widgets.TryGetAsync(s_key, CancellationToken.None) is null, "object gone after its last finalizer");
    }

    /// <summary>From the caller's copy a finalizer costs one write and no read; a stale copy's 409 makes it read once and retry.</summary>
    [Fact]
    public async Task Finalizers_Should_WriteWithoutReading_When_StartingFromTheCallersCopy()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var created = await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        const string Finalizer = "test.nvmelm.io/cleanup";
        server.Audit.Clear();

        var added = await widgets.AddFinalizerAsync(created, Finalizer, CancellationToken.None);
        Assert.Equal([("update", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
        Assert.Null(created.Metadata.Finalizers); // the caller's copy is cloned, not changed

        server.Audit.Clear();
        var removed = await widgets.RemoveFinalizerAsync(created, Finalizer, CancellationToken.None); // stale: lacks the finalizer
        Assert.Equal(new[] { Finalizer }, added!.Metadata.Finalizers);
        Assert.Null(removed!.Metadata.Finalizers);
        Assert.Empty(server.Audit.Snapshot()); // the copy needs no change: taken at its word

        var staleWithFinalizer = added;
        await widgets.UpdateAsync(s_key, w => { w.Spec!.Size = 2; return true; }, CancellationToken.None); // someone else writes
        server.Audit.Clear();
        var gone = await widgets.RemoveFinalizerAsync(staleWithFinalizer, Finalizer, CancellationToken.None);
        Assert.Empty(gone!.Metadata.Finalizers ?? []);
        Assert.Equal([("update", 409), ("get", 200), ("update", 200)], server.Audit.Snapshot().Select(r => (r.Verb, r.StatusCode)));
    }

    [Fact]
    public async Task AddFinalizerAsync_Should_Succeed_When_ConflictsHappen()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        server.Faults.FailNext(2, 409, new RequestMatch(Verb: "update", Resource: "widgets"));

        var stored = await widgets.AddFinalizerAsync(s_key, "test.nvmelm.io/a", CancellationToken.None);

        Assert.True(Finalizers.Has(stored!, "test.nvmelm.io/a"));
    }

    [Fact]
    public async Task RecordAsync_Should_BumpCount_When_SameEventRepeats()
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var kubernetes = server.CreateClient();
        var widgets = await WidgetCrd.InstallAsync(kubernetes);
        var widget = await widgets.CreateAsync(WidgetCrd.New("w1", 1), CancellationToken.None);
        var recorder = new EventRecorder(kubernetes, "nvmelm-test");

        var first = await recorder.RecordAsync(widget, EventType.Normal, "Resized", "size is 1", CancellationToken.None);
        var second = await recorder.RecordAsync(widget, EventType.Normal, "Resized", "size is 1", CancellationToken.None);
        var other = await recorder.RecordAsync(widget, EventType.Warning, "Failed", "boom", CancellationToken.None);

        var events = await new ResourceClient<Corev1Event>(kubernetes).ListAsync("default", null, CancellationToken.None);
        Assert.Equal(2, events.Items!.Count);
        var resized = events.Items.Single(e => e.Reason == "Resized");
        Assert.Equal(first!.Metadata.Name, second!.Metadata.Name);
        Assert.Equal(2, resized.Count);
        Assert.Equal(("Widget", "w1", widget.Metadata.Uid), (resized.InvolvedObject.Kind, resized.InvolvedObject.Name, resized.InvolvedObject.Uid));
        Assert.Equal(EventType.Warning, other!.Type);
    }
}
