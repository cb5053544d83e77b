using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Selectors;

/// <summary>
/// A parsed field selector (<c>f=v</c>, <c>f==v</c>, <c>f!=v</c>, comma-separated). Every type supports
/// <c>metadata.name</c> and <c>metadata.namespace</c>; others only when the type declares them
/// (kube-apiserver answers 400 "field label not supported" otherwise).
/// </summary>
public sealed class FieldSelector
{
    // Each path is split once, here: a watch matches its selector against every event of its collection (each of
    // a hundred agents' NvmeNode watches sees every node's writes), and splitting it per match was 3% of the bytes
    // the 100-node demo allocated.
    private readonly IReadOnlyList<(string[] Segments, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string[], bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    public static FieldSelector Parse(string? text, IReadOnlySet<string> selectableFields)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string[], bool, string)>();
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int notEqual = raw.IndexOf("!=", StringComparison.Ordinal);
            int equal = raw.IndexOf('=');
            if (equal <= 0)
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{raw}'");
            }
            bool isNot = notEqual > 0 && notEqual < equal;
            string path = (isNot ? raw[..notEqual] : raw[..equal]).Trim();
            string value = raw[(raw.StartsWith(path + "==", StringComparison.Ordinal) ? equal + 2 : equal + 1)..].Trim();
            if (path is not ("metadata.name" or "metadata.namespace") && !selectableFields.Contains(path))
            {
                throw ApiException.BadRequest($"field label not supported: {path}");
            }
            terms.Add((path.Split('.'), !isNot, value));
        }
        return new FieldSelector(terms);
    }

    /// <summary>
    /// Whether an equality term asks for a <c>metadata.name</c> other than <paramref name="name"/>: then no object of
    /// that name matches, whatever else it holds. A watch by name (an agent's on its own NvmeNode) tells most of its
    /// collection's events apart by this alone, without reading the objects.
    /// </summary>
    public bool RulesOutName(string name)
    {
        foreach (var (segments, equal, value) in _terms)
        {
            if (equal && segments is ["metadata", "name"] && !string.Equals(value, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (segments, equal, value) in _terms)
        {
            JsonNode? node = obj;
            foreach (string segment in segments)
            {
                node = (node as JsonObject)?[segment];
            }
            string actual = node switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }
        return true;
    }
}
