using System.Globalization;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// Cell helpers shared by the built-in tables, rendering the way kubernetes/kubernetes
/// <c>pkg/printers/internalversion/printers.go</c> does (<c>&lt;none&gt;</c> for empty, comma-joined lists).
/// </summary>
internal static class BuiltinColumns
{
    public const string None = "<none>";

    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>) Integer(string name, string description, Func<JsonObject, long> cell, int priority = 0) =>
        (new TableColumn(name, "integer", description, priority), (obj, _) => cell(obj));

    public static long Int(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : 0;

    public static string Text(JsonNode? node) => node is JsonValue value ? value.ToJsonString().Trim('"') : "";

    /// <summary>Joins the non-empty values with commas, or <c>&lt;none&gt;</c>.</summary>
    public static string JoinOrNone(IEnumerable<string> values)
    {
        string joined = string.Join(',', values.Where(v => v.Length > 0));
        return joined.Length == 0 ? None : joined;
    }

    /// <summary>A label map as <c>k=v,k2=v2</c> sorted by key (labels.FormatLabels), or <c>&lt;none&gt;</c>.</summary>
    public static string Labels(JsonNode? map) =>
        JoinOrNone((map as JsonObject)?.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}") ?? []);

    /// <summary>A label selector as kubectl prints it (matchLabels then matchExpressions), or <c>&lt;none&gt;</c>.</summary>
    public static string Selector(JsonNode? selector)
    {
        var parts = new List<string>();
        if (selector?["matchLabels"] is JsonObject matchLabels)
        {
            parts.AddRange(matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}"));
        }
        foreach (var expression in (selector?["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            string key = Text(expression["key"]);
            var values = (expression["values"] as JsonArray)?.Select(Text).ToList() ?? [];
            parts.Add(Text(expression["operator"]) switch
            {
                "In" => $"{key} in ({string.Join(',', values)})",
                "NotIn" => $"{key} notin ({string.Join(',', values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op}",
            });
        }
        return JoinOrNone(parts);
    }

    /// <summary>Containers and images of a pod template (the wide columns of workloads).</summary>
    public static (TableColumn, Func<JsonObject, DateTimeOffset, JsonNode?>)[] TemplateContainers() =>
    [
        DelegateTableConvertor.Column("Containers", "Names of each container in the template.", o => JoinOrNone(Containers(o).Select(c => Text(c["name"]))), priority: 1),
        DelegateTableConvertor.Column("Images", "Images referenced by each container in the template.", o => JoinOrNone(Containers(o).Select(c => Text(c["image"]))), priority: 1),
    ];

    private static IEnumerable<JsonObject> Containers(JsonObject workload) =>
        (workload["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
