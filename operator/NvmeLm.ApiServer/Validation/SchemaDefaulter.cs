using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// What kube-apiserver does to a custom resource before validating it: drop fields the schema does not
/// list (unless <c>x-kubernetes-preserve-unknown-fields</c>), replace <c>null</c> in non-nullable fields by
/// the default or drop it, and fill in defaults of absent fields, recursively (also inside defaults).
/// The root's <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are kept as they are.
/// </summary>
internal static class SchemaDefaulter
{
    private static readonly HashSet<string> s_rootKept = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    public static void PruneAndDefaultRoot(JsonObject root, SchemaNode schema)
    {
        PruneObject(root, schema, isRoot: true);
        DefaultObject(root, schema);
        foreach (var (name, child) in ChildSchemas(schema))
        {
            if (!s_rootKept.Contains(name) && root[name] is { } value)
            {
                Apply(value, child);
            }
        }
    }

    private static void Apply(JsonNode node, SchemaNode schema)
    {
        switch (node)
        {
            case JsonObject obj:
                // An embedded resource keeps apiVersion/kind/metadata like a root object does.
                PruneObject(obj, schema, isRoot: schema.EmbeddedResource);
                DefaultObject(obj, schema);

                foreach (var (name, value) in obj.ToList())
                {
                    if (value is not null && ChildSchema(schema, name) is { } child)
                    {
                        Apply(value, child);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Apply(item, items);
                    }
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, SchemaNode schema, bool isRoot)
    {
        if (schema.PreserveUnknownFields || schema.AdditionalProperties is not null || schema.AdditionalPropertiesAllowed)
        {
            return;
        }

        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            bool known = schema.Properties?.ContainsKey(name) == true;
            if (!known && !(isRoot && s_rootKept.Contains(name)))
            {
                obj.Remove(name);
            }
        }
    }

    private static void DefaultObject(JsonObject obj, SchemaNode schema)
    {
        foreach (var (name, child) in ChildSchemas(schema))
        {
            bool present = obj.TryGetPropertyValue(name, out var value);
            if (present && value is null && !child.Nullable)
            {
                // kube: a null in a non-nullable field is defaulted if it can be, pruned otherwise.
                obj.Remove(name);
                present = false;
            }

            if (!present && child.Default is not null)
            {
                obj[name] = child.Default.DeepClone();
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, SchemaNode>> ChildSchemas(SchemaNode schema) =>
        schema.Properties ?? Enumerable.Empty<KeyValuePair<string, SchemaNode>>();

    private static SchemaNode? ChildSchema(SchemaNode schema, string name) =>
        schema.Properties?.GetValueOrDefault(name) ?? schema.AdditionalProperties;
}
