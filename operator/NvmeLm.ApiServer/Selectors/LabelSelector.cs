using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Selectors;

/// <summary>
/// A parsed label selector in the query-string syntax of apimachinery's labels.Parse:
/// <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c>.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses a selector; a malformed one is a 400 BadRequest, as from kube-apiserver.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        foreach (string part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        foreach (var requirement in _requirements)
        {
            string? value = labels?[requirement.Key]?.GetValue<string>();
            bool ok = requirement.Operator switch
            {
                "=" => value == requirement.Values[0],
                "!=" => value != requirement.Values[0],
                "in" => value is not null && requirement.Values.Contains(value),
                "notin" => value is null || !requirement.Values.Contains(value),
                "exists" => value is not null,
                "!" => value is null,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Invalid(whole);
        }
        if (part.StartsWith('!'))
        {
            return new Requirement(CheckKey(part[1..].Trim(), whole), "!", []);
        }
        foreach (string op in new[] { " notin ", " in " })
        {
            int at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                string key = CheckKey(part[..at].Trim(), whole);
                string set = part[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw Invalid(whole);
                }
                string[] values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new Requirement(key, op.Trim(), values);
            }
        }
        foreach (string op in new[] { "!=", "==", "=" })
        {
            int at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                string key = CheckKey(part[..at].Trim(), whole);
                string value = part[(at + op.Length)..].Trim();
                return new Requirement(key, op == "==" ? "=" : op, [value]);
            }
        }
        return new Requirement(CheckKey(part, whole), "exists", []);
    }

    private static string CheckKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ','))
        {
            throw Invalid(whole);
        }
        return key;
    }

    private static ApiException Invalid(string whole) =>
        ApiException.BadRequest($"unable to parse requirement: found '{whole}', expected a valid label selector");

    private sealed record Requirement(string Key, string Operator, IReadOnlyList<string> Values);
}
