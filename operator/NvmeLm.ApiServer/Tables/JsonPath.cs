using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tables;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c> and
/// <c>.a[?(@.type=="Ready")].status</c>, optionally wrapped in <c>{…}</c>.
/// </summary>
public static class JsonPath
{
    public static IReadOnlyList<JsonNode> Find(JsonNode? root, string path)
    {
        string p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }
        if (p.StartsWith('$'))
        {
            p = p[1..];
        }
        var current = new List<JsonNode>();
        if (root is not null)
        {
            current.Add(root);
        }
        int i = 0;
        while (i < p.Length && current.Count > 0)
        {
            if (p[i] == '.')
            {
                int end = i + 1;
                while (end < p.Length && p[end] != '.' && p[end] != '[')
                {
                    end++;
                }
                string field = p[(i + 1)..end];
                if (field.Length > 0)
                {
                    current = current.OfType<JsonObject>().Select(o => o[field]).OfType<JsonNode>().ToList();
                }
                i = end;
            }
            else if (p[i] == '[')
            {
                int end = p.IndexOf(']', i);
                if (end < 0)
                {
                    return [];
                }
                current = Index(current, p[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                return [];
            }
        }
        return current;
    }

    private static List<JsonNode> Index(List<JsonNode> nodes, string selector)
    {
        var arrays = nodes.OfType<JsonArray>().ToList();
        if (selector == "*")
        {
            return arrays.SelectMany(a => a).OfType<JsonNode>().ToList();
        }
        if (int.TryParse(selector, out int index))
        {
            return arrays.Select(a => index >= 0 && index < a.Count ? a[index] : index < 0 && -index <= a.Count ? a[a.Count + index] : null)
                .OfType<JsonNode>().ToList();
        }
        if (selector.StartsWith("?(@.", StringComparison.Ordinal) && selector.EndsWith(')'))
        {
            string condition = selector[4..^1];
            int eq = condition.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                string field = condition.Trim();
                return arrays.SelectMany(a => a).OfType<JsonObject>().Where(o => o[field] is not null).Cast<JsonNode>().ToList();
            }
            string key = condition[..eq].Trim();
            string expected = condition[(eq + 2)..].Trim().Trim('"', '\'');
            return arrays.SelectMany(a => a).OfType<JsonObject>()
                .Where(o => o[key] is JsonValue v && (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) == expected)
                .Cast<JsonNode>().ToList();
        }
        return [];
    }
}
