using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>The string lists of RBAC and admission rules (verbs, groups, operations, …), where <c>*</c> matches anything.</summary>
public static class RuleValues
{
    /// <summary>A JSON array of strings; absent is empty.</summary>
    public static string[] Read(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").ToArray() ?? [];

    /// <summary>Whether <paramref name="values"/> holds <paramref name="value"/> or <c>*</c>.</summary>
    public static bool ExactOrWildcard(string[] values, string value)
    {
        foreach (string v in values)
        {
            if (v == "*" || v == value)
            {
                return true;
            }
        }
        return false;
    }
}
