using NvmeLm.ApiServer.ManagedFields;

namespace NvmeLm.ApiServer.Builtins.Schemas;

/// <summary>Where a built-in kind's schema lives in <see cref="ModelSchemaCatalog"/>, and its merge type for server-side apply.</summary>
public static class BuiltinSchemas
{
    private static readonly MergeTypeBuilder s_builder = new(reference => ModelSchemaCatalog.Instance.Definition(reference));

    /// <summary>kube's definition name prefix of an API group (e.g. <c>io.k8s.api.apps</c>).</summary>
    public static string NamePrefix(string group) => group switch
    {
        "" => "io.k8s.api.core",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        _ => "io.k8s.api." + group.Split('.')[0],
    };

    /// <summary>The definition name of <paramref name="model"/> served in <paramref name="group"/>.</summary>
    public static string SchemaName(Type model, string group) => ModelSchemaCatalog.Instance.Register(model, NamePrefix(group));

    /// <summary>The merge type of a kind, built lazily from its model's schema.</summary>
    public static MergeType MergeTypeOf(Type model, string group)
    {
        string name = SchemaName(model, group);
        return ResourceMergeTypes.Root(new MergeType(
            MergeKind.Map,
            field: field => Root(name).FieldType(field),
            declared: field => Root(name).IsDeclared(field)));
    }

    private static MergeType Root(string name) => s_roots.GetOrAdd(name, n => s_builder.Build(new System.Text.Json.Nodes.JsonObject { ["$ref"] = n }));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MergeType> s_roots = new(StringComparer.Ordinal);
}
