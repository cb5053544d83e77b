using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Patching;

/// <summary>JSON patch (RFC 6902, <c>application/json-patch+json</c>): add, remove, replace, move, copy, test.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json patch must be an array of operations");
        }
        JsonNode document = target;
        foreach (var operationNode in operations)
        {
            if (operationNode is not JsonObject operation)
            {
                throw ApiException.BadRequest("json patch operation must be an object");
            }
            string op = operation["op"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch operation without 'op'");
            string path = operation["path"]?.GetValue<string>() ?? throw ApiException.BadRequest($"json patch '{op}' without 'path'");
            switch (op)
            {
                case "add":
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, operation["value"]?.DeepClone());
                    break;
                case "move":
                {
                    string from = operation["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch 'move' without 'from'");
                    var value = Get(document, from);
                    Remove(document, from);
                    document = Add(document, path, value);
                    break;
                }
                case "copy":
                {
                    string from = operation["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch 'copy' without 'from'");
                    document = Add(document, path, Get(document, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw ApiException.BadRequest($"unexpected json patch operation '{op}'");
            }
        }
        return document;
    }

    private static string[] Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }
        if (path[0] != '/')
        {
            throw ApiException.BadRequest($"json patch path '{path}' must start with '/'");
        }
        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Get(JsonNode document, string path) => Walk(document, Tokens(path), path);

    private static JsonNode? Walk(JsonNode document, IEnumerable<string> tokens, string path)
    {
        JsonNode? node = document;
        foreach (string token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out int i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(path),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        string[] tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value ?? throw ApiException.BadRequest("json patch cannot replace the document with null");
        }
        var parent = Walk(document, tokens[..^1], path);
        string last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out int i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Missing(path);
        }
        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        string[] tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("json patch cannot remove the whole document");
        }
        var parent = Walk(document, tokens[..^1], path);
        string last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out int i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Missing(path);
        }
    }

    private static ApiException Missing(string path) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: jsonpatch: path '{path}' does not exist");
}
