using System.Text;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Tests.Unit;

/// <summary>
/// A stored object is encoded once for every response and watch event that sends it; anything the store has not
/// published is encoded each time, so a body that is still being changed never goes out stale.
/// </summary>
public sealed class PublishedJsonTests
{
    private static readonly StorageKey s_nodes = new("nvmelm.io", "nvmenodes");

    [Fact]
    public void StoredObject_Should_BeEncodedOnce_ForTheWriteAndEveryWatcher()
    {
        var store = new ObjectStore();
        using var first = store.Watch(s_nodes, sinceResourceVersion: null);
        using var second = store.Watch(s_nodes, sinceResourceVersion: null);
        var obj = Node("node-a", "7");

        Assert.Equal(WriteResult.Committed, store.TryCreate(s_nodes, new ObjectName("", "node-a"), obj));

        Assert.True(first.Events.TryRead(out var seenByFirst));
        Assert.True(second.Events.TryRead(out var seenBySecond));
        Assert.Same(obj, seenByFirst!.Object);
        Assert.Same(obj, seenBySecond!.Object);
        Assert.True(PublishedJson.IsPublished(obj));
        byte[] forFirst = JsonResponse.Serialize(seenByFirst.Object!);
        byte[] forSecond = JsonResponse.Serialize(seenBySecond.Object!);
        byte[] forResponse = JsonResponse.Serialize(obj);
        Assert.Same(forFirst, forSecond);
        Assert.Same(forFirst, forResponse);
        // The shared bytes are the object as stored, resourceVersion included.
        Assert.Equal(obj.ToJsonString(), Encoding.UTF8.GetString(forFirst));
        Assert.Contains("\"resourceVersion\":\"1\"", Encoding.UTF8.GetString(forFirst), StringComparison.Ordinal);
    }

    [Fact]
    public void ReplacedObject_Should_KeepItsOwnBytes_AndTheNextOneGetsNewOnes()
    {
        var store = new ObjectStore();
        var name = new ObjectName("", "node-a");
        var before = Node("node-a", "7");
        Assert.Equal(WriteResult.Committed, store.TryCreate(s_nodes, name, before));
        byte[] beforeBytes = JsonResponse.Serialize(before);

        var after = (JsonObject)before.DeepClone();
        after["status"] = new JsonObject { ["phase"] = "Ready" };
        Assert.False(PublishedJson.IsPublished(after));
        Assert.Equal(WriteResult.Committed, store.TryReplace(s_nodes, name, before, after));

        byte[] afterBytes = JsonResponse.Serialize(after);
        Assert.NotSame(beforeBytes, afterBytes);
        Assert.Equal(after.ToJsonString(), Encoding.UTF8.GetString(afterBytes));
        Assert.DoesNotContain("Ready", Encoding.UTF8.GetString(JsonResponse.Serialize(before)), StringComparison.Ordinal);
    }

    [Fact]
    public void UnpublishedObject_Should_BeEncodedEachTime()
    {
        // A request body, a dry-run result or a converted copy: still the caller's to change.
        var body = Node("node-b", "3");
        var encoder = new CountingEncoder();
        byte[] once = PublishedJson.Encode(body, encoder.Encode);
        body["spec"]!["generation"] = "4";
        byte[] twice = PublishedJson.Encode(body, encoder.Encode);

        Assert.Equal(2, encoder.Count);
        Assert.Contains("\"3\"", Encoding.UTF8.GetString(once), StringComparison.Ordinal);
        Assert.Contains("\"4\"", Encoding.UTF8.GetString(twice), StringComparison.Ordinal);
        Assert.False(PublishedJson.IsPublished(body));
    }

    [Fact]
    public void PublishedObject_Should_CallTheEncoderOnlyTheFirstTime()
    {
        var store = new ObjectStore();
        var obj = Node("node-c", "1");
        Assert.Equal(WriteResult.Committed, store.TryCreate(s_nodes, new ObjectName("", "node-c"), obj));
        var encoder = new CountingEncoder();
        byte[] once = PublishedJson.Encode(obj, encoder.Encode);
        byte[] twice = PublishedJson.Encode(obj, encoder.Encode);

        Assert.Equal(1, encoder.Count);
        Assert.Same(once, twice);
    }

    private static JsonObject Node(string name, string generation) => new()
    {
        ["apiVersion"] = "nvmelm.io/v1alpha1",
        ["kind"] = "NvmeNode",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["generation"] = generation },
    };

    private sealed class CountingEncoder
    {
        public int Count { get; private set; }

        public byte[] Encode(JsonNode node)
        {
            Count++;
            return Encoding.UTF8.GetBytes(node.ToJsonString());
        }
    }
}
