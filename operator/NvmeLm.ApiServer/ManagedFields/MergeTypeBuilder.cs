using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Reads merge semantics from an OpenAPI schema, as kube-openapi <c>pkg/schemaconv</c> turns OpenAPI into
/// structured-merge-diff types: <c>x-kubernetes-list-type</c> atomic/set/map (with
/// <c>x-kubernetes-list-map-keys</c>); without it, <c>x-kubernetes-patch-strategy: merge</c> with a
/// <c>x-kubernetes-patch-merge-key</c> is a keyed list and without a key a set; any other list is atomic;
/// <c>x-kubernetes-map-type: atomic</c> makes a map one value. <c>$ref</c> (also inside <c>allOf</c>) is
/// resolved through <paramref name="resolve"/>, lazily, so recursive definitions work.
/// </summary>
public sealed class MergeTypeBuilder(Func<string, JsonObject?> resolve)
{
    /// <summary>A builder for a self-contained schema (a CRD version's openAPIV3Schema).</summary>
    public static MergeTypeBuilder Inline { get; } = new(_ => null);

    public MergeType Build(JsonObject? schema)
    {
        schema = Dereference(schema);
        if (schema is null)
        {
            return MergeType.Deduced;
        }
        string? type = schema["type"]?.GetValue<string>();
        if (type == "array" || schema["items"] is not null)
        {
            return List(schema);
        }
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        bool preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (type == "object" || properties is not null || additional is not null || preserveUnknown)
        {
            if (schema["x-kubernetes-map-type"]?.GetValue<string>() == "atomic")
            {
                return MergeType.AtomicValue;
            }
            if (properties is null && additional is null)
            {
                // An object the schema does not describe (preserve-unknown-fields, or a bare object): SMD deduces it.
                return MergeType.Deduced;
            }
            var values = new Lazy<MergeType?>(() => additional is null ? null : Build(additional));
            return new MergeType(
                MergeKind.Map,
                field: name => properties?[name] is JsonObject declared ? Build(declared) : values.Value,
                declared: name => properties?.ContainsKey(name) == true);
        }
        return MergeType.AtomicValue;
    }

    private MergeType List(JsonObject schema)
    {
        JsonObject? items = schema["items"] as JsonObject;
        switch (schema["x-kubernetes-list-type"]?.GetValue<string>())
        {
            case "map":
                var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k!.GetValue<string>()).ToList() ?? [];
                return new MergeType(MergeKind.AssociativeList, keys, element: () => Build(items));
            case "set":
                return new MergeType(MergeKind.Set, element: () => Build(items));
            case "atomic":
                return MergeType.AtomicValue;
        }
        string strategy = schema["x-kubernetes-patch-strategy"]?.GetValue<string>() ?? "";
        if (strategy.Split(',').Contains("merge"))
        {
            return schema["x-kubernetes-patch-merge-key"]?.GetValue<string>() is { } key
                ? new MergeType(MergeKind.AssociativeList, [key], element: () => Build(items))
                : new MergeType(MergeKind.Set, element: () => Build(items));
        }
        return MergeType.AtomicValue;
    }

    private JsonObject? Dereference(JsonObject? schema)
    {
        for (int depth = 0; schema is not null && depth < 8; depth++)
        {
            string? reference = schema["$ref"]?.GetValue<string>()
                ?? ((schema["allOf"] as JsonArray)?.Count == 1 ? schema["allOf"]![0]?["$ref"]?.GetValue<string>() : null);
            if (reference is null)
            {
                return schema;
            }
            schema = resolve(reference);
        }
        return schema;
    }
}
