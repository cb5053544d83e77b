using k8s;
using k8s.Models;

namespace NvmeLm.Api.Tests;

/// <summary>
/// The generated schemas are structural (apiextensions rules): every node has a type, no
/// additionalProperties next to properties, no preserve-unknown-fields (nothing in this API is opaque),
/// and list-map keys are required fields of their items.
/// </summary>
public class StructuralSchemaTests
{
    [Theory]
    [MemberData(nameof(GeneratedCrds.Kinds), MemberType = typeof(GeneratedCrds))]
    public void EverySchemaNode_Should_BeStructural(string kind)
    {
        var problems = new List<string>();
        Walk(GeneratedCrds.ByKind[kind].Spec.Versions.Single().Schema.OpenAPIV3Schema, "", problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.Kinds), MemberType = typeof(GeneratedCrds))]
    public void EveryField_Should_HaveADescription_ForKubectlExplain(string kind)
    {
        var missing = new List<string>();
        void Visit(V1JSONSchemaProps node, string path)
        {
            foreach (var (name, child) in node.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
            {
                string childPath = $"{path}.{name}";
                if (string.IsNullOrWhiteSpace(child.Description) && childPath != ".metadata")
                {
                    missing.Add(childPath);
                }

                Visit(child.Type == "array" ? SchemaProps.ItemsOf(child) : child, childPath);
            }
        }

        Visit(GeneratedCrds.ByKind[kind].Spec.Versions.Single().Schema.OpenAPIV3Schema, "");

        Assert.True(missing.Count == 0, "no description: " + string.Join(", ", missing));
    }

    private static void Walk(V1JSONSchemaProps node, string path, List<string> problems)
    {
        if (string.IsNullOrEmpty(node.Type))
        {
            problems.Add($"{path}: no type");
        }

        if (node.Properties is { Count: > 0 } && node.AdditionalProperties is not null)
        {
            problems.Add($"{path}: additionalProperties next to properties");
        }

        if (node.XKubernetesPreserveUnknownFields == true)
        {
            problems.Add($"{path}: x-kubernetes-preserve-unknown-fields (no field of this API is opaque)");
        }

        if (node.AllOf is not null || node.AnyOf is not null || node.OneOf is not null || node.Not is not null || node.RefProperty is not null)
        {
            problems.Add($"{path}: logical junctors or $ref are not used by this API");
        }

        if (node.Type == "array")
        {
            var items = SchemaProps.ItemsOf(node);
            if (node.XKubernetesListType == "map")
            {
                foreach (var key in node.XKubernetesListMapKeys)
                {
                    if (items.Required?.Contains(key) != true && items.DefaultProperty is null)
                    {
                        problems.Add($"{path}: list-map key '{key}' is not required in the items");
                    }
                }
            }

            Walk(items, path + "[*]", problems);
        }

        foreach (var (name, child) in node.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            Walk(child, $"{path}.{name}", problems);
        }

        if (node.AdditionalProperties is { } additional && additional is not bool)
        {
            Walk(KubernetesYaml.Deserialize<V1JSONSchemaProps>(KubernetesYaml.Serialize(additional), strict: true), path + "{*}", problems);
        }
    }
}
