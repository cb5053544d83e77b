using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>
/// Reads one line of a watch stream, <c>{"type":…,"object":…}</c>. kube-apiserver writes <c>type</c> first (so does
/// the embedded API server), so the object's kind is known before the object: then the line is deserialized in one
/// pass, from the line's UTF-8 bytes. Otherwise, and for ERROR (a Status, not a <typeparamref name="T"/>), it is
/// parsed into a document first.
/// Every informer in the process reads every event of its watch here; the two passes were 6% of a 100-node demo's
/// CPU (perf), one pass is about half of that.
/// </summary>
internal static class WatchLineParser<T>
    where T : class
{
    /// <param name="line">One event's UTF-8 JSON (from <see cref="Utf8LineReader"/>), read in place.</param>
    public static WatchEvent<T> Parse(ArraySegment<byte> line)
    {
        if (LeadingType(line) is { } type && type != WatchEventType.Error)
        {
            using var stream = new MemoryStream(line.Array!, line.Offset, line.Count, writable: false);
            var envelope = KubernetesJson.Deserialize<Envelope>(stream);
            return new WatchEvent<T>(type, envelope.Object ?? throw NoObject(type), null);
        }

        return ParseDocument(line);
    }

    /// <summary>The event type when <c>type</c> is the first property; null when it is not (or unknown: the document path names it).</summary>
    internal static WatchEventType? LeadingType(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line.Length > 64 ? line[..64] : line, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("type"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            return TypeOf(reader.GetString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static WatchEvent<T> ParseDocument(ReadOnlyMemory<byte> line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var typeText = root.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        var hasObject = root.TryGetProperty("object", out var objectElement) && objectElement.ValueKind == JsonValueKind.Object;
        var type = TypeOf(typeText) ?? throw new InvalidDataException($"Unknown watch event type '{typeText}'.");
        if (type == WatchEventType.Error)
        {
            return new WatchEvent<T>(type, null, hasObject ? KubernetesJson.Deserialize<V1Status>(objectElement) : null);
        }

        return hasObject ? new WatchEvent<T>(type, KubernetesJson.Deserialize<T>(objectElement), null) : throw NoObject(type);
    }

    private static WatchEventType? TypeOf(string? text) => text switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        "ERROR" => WatchEventType.Error,
        _ => null,
    };

    private static InvalidDataException NoObject(WatchEventType type) =>
        new($"Watch event {type.ToString().ToUpperInvariant()} carries no object.");

    private sealed class Envelope
    {
        [JsonPropertyName("object")]
        public T? Object { get; set; }
    }
}
