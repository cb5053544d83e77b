using System.Text.Json.Nodes;

namespace NvmeLm.Api.Tests;

/// <summary>
/// One bad object for the CRD rule table: a sample, an edit that breaks one rule, and the error the API
/// server must answer with. With <see cref="IsUpdate"/> the edited object replaces the unedited sample.
/// </summary>
public sealed record CrdRuleCase(string Name, string Kind, string Sample, bool IsUpdate, string Field, string Message, params (string Path, string? Json)[] Edits)
{
    public override string ToString() => Name;

    public JsonObject Load() => YamlJson.LoadFile(Path.Combine(RepoPaths.Samples, Sample));

    /// <summary>Applies the edits: set (JSON text) or remove (null) the field at a dotted path; "[n]" indexes lists.</summary>
    public JsonObject Edited()
    {
        var obj = Load();
        foreach (var (path, json) in Edits)
        {
            var segments = path.Split('.');
            JsonNode parent = obj;
            foreach (var segment in segments[..^1])
            {
                parent = Step(parent, segment);
            }

            string last = segments[^1];
            if (parent is JsonArray array)
            {
                // "[n]" replaces item n; n == Count appends.
                int index = int.Parse(last.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture);
                var item = json is null ? null : JsonNode.Parse(json);
                if (index == array.Count)
                {
                    array.Add(item);
                }
                else
                {
                    array[index] = item;
                }
            }
            else if (json is null)
            {
                parent.AsObject().Remove(last);
            }
            else
            {
                parent[last] = JsonNode.Parse(json);
            }
        }

        return obj;
    }

    private static JsonNode Step(JsonNode node, string segment) =>
        segment.StartsWith('[')
            ? node.AsArray()[int.Parse(segment.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture)]!
            : node[segment] ?? (node[segment] = new JsonObject());
}
