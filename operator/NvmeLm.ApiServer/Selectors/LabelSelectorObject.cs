using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Selectors;

/// <summary>
/// A metav1.LabelSelector object (<c>matchLabels</c>, <c>matchExpressions</c> with In, NotIn, Exists,
/// DoesNotExist) as a <see cref="LabelSelector"/>, the way apimachinery's LabelSelectorAsSelector turns it into
/// the string syntax. Null or empty selects everything.
/// </summary>
public static class LabelSelectorObject
{
    public static LabelSelector Parse(JsonNode? selector)
    {
        if (selector is not JsonObject obj)
        {
            return LabelSelector.Everything;
        }
        var terms = new List<string>();
        if (obj["matchLabels"] is JsonObject labels)
        {
            terms.AddRange(labels.Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"));
        }
        foreach (var expression in (obj["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            string key = expression["key"]?.GetValue<string>() ?? "";
            string values = string.Join(",", (expression["values"] as JsonArray)?.Select(v => v?.GetValue<string>()) ?? []);
            terms.Add(expression["operator"]?.GetValue<string>() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var other => throw ApiException.BadRequest($"\"{other}\" is not a valid label selector operator"),
            });
        }
        return LabelSelector.Parse(string.Join(",", terms));
    }
}
