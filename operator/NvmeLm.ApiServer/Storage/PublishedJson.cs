using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// The JSON encoding of each object the store has published, made once and shared by every response and watch
/// event that sends that object. A published object is immutable (see <see cref="StoreEvent"/>), so its bytes
/// never go stale; an object the store has not published (a request body, a dry run, a converted copy, a table)
/// is encoded each time. An NvmeNode write reaches its writer's response and three watchers: in the 100-node demo
/// serializing the same object for each of them was 6% of the process's CPU (perf).
/// </summary>
public static class PublishedJson
{
    // Keyed by reference and weak: an entry goes with its object once the store and every event have let go of it.
    private static readonly ConditionalWeakTable<JsonObject, Slot> s_slots = new();

    /// <summary>Called by the store as it publishes <paramref name="obj"/>, after its last change.</summary>
    internal static void Register(JsonObject obj) => s_slots.AddOrUpdate(obj, new Slot());

    /// <summary>Whether <paramref name="node"/> is an object the store published.</summary>
    public static bool IsPublished(JsonNode node) => node is JsonObject obj && s_slots.TryGetValue(obj, out _);

    /// <summary>
    /// <paramref name="node"/> encoded by <paramref name="encode"/>: for a published object the bytes encoded the
    /// first time (callers must not change the array); for anything else, encoded now.
    /// </summary>
    public static byte[] Encode(JsonNode node, Func<JsonNode, byte[]> encode)
    {
        if (node is not JsonObject obj || !s_slots.TryGetValue(obj, out var slot))
        {
            return encode(node);
        }

        // Two threads may both encode the first time; both produce the same bytes, one array is kept.
        return Volatile.Read(ref slot.Bytes) ?? Interlocked.CompareExchange(ref slot.Bytes, encode(obj), null) ?? slot.Bytes!;
    }

    private sealed class Slot
    {
        public byte[]? Bytes;
    }
}
