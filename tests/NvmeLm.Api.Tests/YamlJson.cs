using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NvmeLm.Api.Tests;

/// <summary>
/// Reads YAML documents as JSON, resolving plain scalars with the YAML 1.2 core schema (null, bool, int,
/// float) and quoted scalars as strings, the way kubectl turns a manifest into the JSON it sends.
/// </summary>
internal static class YamlJson
{
    public static JsonObject LoadFile(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return Assert.Single(stream.Documents).RootNode is YamlMappingNode mapping
            ? (JsonObject)Convert(mapping)!
            : throw new InvalidOperationException($"{path} is not a YAML mapping");
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture)),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && value.Any(char.IsDigit) => JsonNode.Parse(d.ToString("R", CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }
}
