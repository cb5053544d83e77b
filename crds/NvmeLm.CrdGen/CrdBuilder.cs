using System.Reflection;
using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.Schema;

namespace NvmeLm.CrdGen;

/// <summary>Builds the apiextensions.k8s.io/v1 CustomResourceDefinition of each API kind.</summary>
public static class CrdBuilder
{
    /// <summary>Every kind in the API assembly, in a stable order (by kind name).</summary>
    public static IReadOnlyList<Type> EntityTypes { get; } = typeof(NvmeLmApi).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
        .OrderBy(t => t.GetCustomAttribute<KubernetesEntityAttribute>()!.Kind, StringComparer.Ordinal)
        .ToList();

    /// <summary>The file a CRD is written to: <c>{group}_{plural}.yaml</c>, as controller-gen names them.</summary>
    public static string FileName(V1CustomResourceDefinition crd) => $"{crd.Spec.Group}_{crd.Spec.Names.Plural}.yaml";

    public static IReadOnlyList<V1CustomResourceDefinition> BuildAll() => EntityTypes.Select(Build).ToList();

    public static V1CustomResourceDefinition Build(Type entityType)
    {
        var entity = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entityType} has no [KubernetesEntity]", nameof(entityType));
        var resource = entityType.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new ArgumentException($"{entityType} has no [CustomResource]", nameof(entityType));

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta
            {
                Name = $"{entity.PluralName}.{entity.Group}",
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "nvme-lm" },
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                Scope = resource.Scope.ToString(),
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = resource.Singular,
                    ShortNames = [.. resource.ShortNames],
                    Categories = [.. resource.Categories],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = RootSchema(entityType) },
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        AdditionalPrinterColumns = PrinterColumns(entityType),
                    },
                ],
            },
        };
    }

    private static V1JSONSchemaProps RootSchema(Type entityType)
    {
        // Spec and status types are the generic arguments of CustomResource<TSpec, TStatus>.
        var baseType = entityType.BaseType!;
        var (specType, statusType) = (baseType.GetGenericArguments()[0], baseType.GetGenericArguments()[1]);
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = entityType.GetCustomAttribute<DescriptionAttribute>()?.Text,
            Required = ["spec"],
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["apiVersion"] = new()
                {
                    Type = "string",
                    Description = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
                },
                ["kind"] = new()
                {
                    Type = "string",
                    Description = "Kind is a string value representing the REST resource this object represents. In CamelCase.",
                },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = SchemaBuilder.ForObject(specType),
                ["status"] = SchemaBuilder.ForObject(statusType),
            },
        };
    }

    private static List<V1CustomResourceColumnDefinition> PrinterColumns(Type entityType) =>
        entityType.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(c => c.Order)
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Description = c.Description,
                Priority = c.Priority == 0 ? null : c.Priority,
            })
            .ToList();
}
