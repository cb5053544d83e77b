using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Resources;

/// <summary>
/// Everything the server knows about one served group/version/resource: names for discovery, scope,
/// subresources, how it is stored, how it renders as a Table and how it is validated.
/// </summary>
public sealed class ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The plural resource name used in paths, e.g. <c>pods</c>.</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>When true, PUT/PATCH of the main resource ignore status and <c>/status</c> changes only status.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Custom resources need a resourceVersion on PUT and refuse strategic merge patch.</summary>
    public bool IsCustomResource { get; init; }

    /// <summary>DELETE answers with the object (pods, namespaces, custom resources) rather than a Success Status.</summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>Field selectors accepted beyond metadata.name and metadata.namespace.</summary>
    public IReadOnlySet<string> SelectableFields { get; init; } = new HashSet<string>();

    /// <summary>Renders objects of this type as Table rows for <c>kubectl get</c>.</summary>
    public required ITableConvertor Table { get; init; }

    /// <summary>The type's OpenAPI v3 schema (a CRD version's openAPIV3Schema), published for explain and apply.</summary>
    public JsonObject? OpenApiSchema { get; init; }

    /// <summary>The KubernetesClient model class of a built-in kind: the source of its OpenAPI schema (<see cref="Builtins.Schemas.ModelSchemaCatalog"/>).</summary>
    public Type? Model { get; init; }

    /// <summary>How server-side apply merges and tracks this type's fields (from its schema; metadata as ObjectMeta).</summary>
    public ManagedFields.MergeType MergeType
    {
        get => _mergeType ??= Model is null ? ManagedFields.ResourceMergeTypes.Root(null) : Builtins.Schemas.BuiltinSchemas.MergeTypeOf(Model, Group);
        init => _mergeType = value;
    }

    private ManagedFields.MergeType? _mergeType;

    /// <summary>Validates, defaults and prunes objects: custom resources by their CRD schema, built-ins by their model schema (unknown fields dropped, wrong types refused).</summary>
    public IObjectValidator? Validator
    {
        get => _validator ??= Model is null ? null : new Builtins.Schemas.BuiltinValidator(Builtins.Schemas.BuiltinSchemas.SchemaName(Model, Group), Kind, ApiVersion);
        init => _validator = value;
    }

    private IObjectValidator? _validator;

    /// <summary>Type-specific defaults, validation and commit hooks.</summary>
    public IResourceStrategy Strategy { get; init; } = DefaultStrategy.Instance;

    /// <summary>The collection objects live in; several served versions (or groups, for events) share one.</summary>
    public required StorageKey Storage { get; init; }

    /// <summary>Converts between this served version's shape and the stored shape.</summary>
    public IObjectConverter Converter { get; init; } = ApiVersionConverter.Instance;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>The resource as errors name it, e.g. <c>pods</c> or <c>nvmemigrations.nvmelm.io</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public IReadOnlyList<string> Verbs => s_verbs;

    private static readonly string[] s_verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public override string ToString() => $"{ApiVersion}/{Plural}";
}
