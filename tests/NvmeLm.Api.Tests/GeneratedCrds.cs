using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.ApiServer.Validation;
using NvmeLm.CrdGen;

namespace NvmeLm.Api.Tests;

/// <summary>The committed CRD files, loaded the way the embedded API server and kubectl load them.</summary>
internal static class GeneratedCrds
{
    private static readonly Lazy<Dictionary<string, V1CustomResourceDefinition>> s_byKind = new(() =>
        Directory.GetFiles(RepoPaths.Crds, "*.yaml")
            .Select(f => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(f), strict: true))
            .ToDictionary(c => c.Spec.Names.Kind));

    private static readonly Lazy<Dictionary<string, SchemaValidator>> s_validators = new(() =>
        s_byKind.Value.ToDictionary(p => p.Key, p => SchemaValidator.Create(p.Value.Spec.Versions.Single().Schema.OpenAPIV3Schema)));

    public static IReadOnlyDictionary<string, V1CustomResourceDefinition> ByKind => s_byKind.Value;

    public static SchemaValidator Validator(string kind) => s_validators.Value[kind];

    public static readonly TheoryData<string> Kinds = new(
        V1Alpha1NvmeMigration.KindName, V1Alpha1NvmeNode.KindName, V1Alpha1NvmeVfPool.KindName);

    public static Type EntityType(string kind) => CrdBuilder.EntityTypes.Single(t => t.Name == "V1Alpha1" + kind);
}

/// <summary>Typed access to the loosely typed schema fields KubernetesYaml leaves as dictionaries.</summary>
internal static class SchemaProps
{
    /// <summary><c>items</c> of an array schema: KubernetesYaml reads this <c>object</c> field as a dictionary.</summary>
    public static V1JSONSchemaProps ItemsOf(V1JSONSchemaProps array) => array.Items switch
    {
        V1JSONSchemaProps props => props,
        { } other => KubernetesYaml.Deserialize<V1JSONSchemaProps>(KubernetesYaml.Serialize(other), strict: true),
        null => throw new InvalidOperationException("array schema without items"),
    };
}
