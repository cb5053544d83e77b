using System.Reflection;
using k8s.Models;
using NvmeLm.CrdGen;

namespace NvmeLm.Api.Tests;

/// <summary>Every C# property of the API types appears in the committed schema, and every schema field in C#.</summary>
public class SchemaCoverageTests
{
    [Theory]
    [MemberData(nameof(GeneratedCrds.Kinds), MemberType = typeof(GeneratedCrds))]
    public void SchemaFields_Should_MatchCSharpProperties(string kind)
    {
        var entity = GeneratedCrds.EntityType(kind);
        var root = GeneratedCrds.ByKind[kind].Spec.Versions.Single().Schema.OpenAPIV3Schema;
        var differences = new List<string>();

        Compare(entity, root, kind, differences);

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static void Compare(Type type, V1JSONSchemaProps schema, string path, List<string> differences)
    {
        var properties = JsonNames.SerializedProperties(type).ToDictionary(JsonNames.Of);
        var fields = schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>();
        differences.AddRange(properties.Keys.Except(fields.Keys).Select(p => $"{path}.{p}: C# property missing from the schema"));
        differences.AddRange(fields.Keys.Except(properties.Keys).Select(f => $"{path}.{f}: schema field has no C# property"));

        foreach (var (name, property) in properties)
        {
            if (fields.TryGetValue(name, out var field) && ElementType(property.PropertyType) is { } nested && field.Type is "object" or "array")
            {
                var nestedSchema = field.Type == "array" ? SchemaProps.ItemsOf(field) : field;
                if (nested != typeof(V1ObjectMeta))
                {
                    Compare(nested, nestedSchema, $"{path}.{name}", differences);
                }
            }
        }
    }

    /// <summary>The class to recurse into for a property: itself, or the item type of a list; null for scalars and maps.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            type = type.GetGenericArguments()[0];
        }

        bool isMap = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>);
        return type.IsClass && type != typeof(string) && !isMap ? type : null;
    }
}
