using k8s;
using k8s.Models;
using NvmeLm.CrdGen;

namespace NvmeLm.Api.Tests;

/// <summary>The committed crds/*.yaml match the generator and load cleanly as CustomResourceDefinitions.</summary>
public class CrdGenerationTests
{
    [Fact]
    public void CommittedCrds_Should_MatchGenerator()
    {
        var generated = CrdBuilder.BuildAll().ToDictionary(CrdBuilder.FileName, CrdYamlWriter.Write);
        var committed = Directory.GetFiles(RepoPaths.Crds, "*.yaml").Select(Path.GetFileName).ToHashSet();

        Assert.True(committed.SetEquals(generated.Keys),
            $"crds/ holds [{string.Join(", ", committed)}] but the generator writes [{string.Join(", ", generated.Keys)}]; run: {CrdYamlWriter.RegenerateCommand}");
        foreach (var (file, yaml) in generated)
        {
            string onDisk = File.ReadAllText(Path.Combine(RepoPaths.Crds, file));
            Assert.True(onDisk == yaml, $"crds/{file} is out of date with crds/NvmeLm.Api; run: {CrdYamlWriter.RegenerateCommand}");
        }
    }

    [Theory]
    [MemberData(nameof(GeneratedCrds.Kinds), MemberType = typeof(GeneratedCrds))]
    public void CrdYaml_Should_RoundTripThroughClientModel_WithoutUnknownFields(string kind)
    {
        // strict: true makes KubernetesYaml throw on any field V1CustomResourceDefinition does not know.
        var crd = GeneratedCrds.ByKind[kind];
        var again = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(KubernetesYaml.Serialize(crd), strict: true);

        Assert.Equal(KubernetesJson.Serialize(crd), KubernetesJson.Serialize(again));
        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.Equal($"{crd.Spec.Names.Plural}.{NvmeLmApi.Group}", crd.Metadata.Name);
    }

    [Theory]
    [InlineData("NvmeMigration", "Namespaced", "nvmemigrations", "nvmemig", "Phase,Source,Destination,Age")]
    [InlineData("NvmeNode", "Cluster", "nvmenodes", "nvmenode", "Ready,PFs,VFs,Migratable,Allocated,Age")]
    [InlineData("NvmeVfPool", "Cluster", "nvmevfpools", "nvmepool", "Selected,Ready,Age")]
    public void Crd_Should_DeclareNamesScopeColumnsAndStatusSubresource(string kind, string scope, string plural, string shortName, string columns)
    {
        var crd = GeneratedCrds.ByKind[kind];
        var version = Assert.Single(crd.Spec.Versions);

        Assert.Equal(scope, crd.Spec.Scope);
        Assert.Equal(plural, crd.Spec.Names.Plural);
        Assert.Equal([shortName], crd.Spec.Names.ShortNames);
        Assert.Equal([NvmeLmApi.Category], crd.Spec.Names.Categories);
        Assert.Equal(NvmeLmApi.Version, version.Name);
        Assert.True(version.Served && version.Storage);
        Assert.NotNull(version.Subresources?.Status);
        Assert.Equal(columns, string.Join(",", version.AdditionalPrinterColumns.Select(c => c.Name)));
        Assert.All(version.AdditionalPrinterColumns, c => Assert.StartsWith(".", c.JsonPath));
    }

    [Fact]
    public void NvmeNodeAllocatedColumn_Should_ShowOnlyWithWideOutput()
    {
        var column = Assert.Single(Assert.Single(GeneratedCrds.ByKind["NvmeNode"].Spec.Versions).AdditionalPrinterColumns, c => c.Name == "Allocated");

        Assert.Equal(1, column.Priority);
        Assert.Equal(".status.allocatedVfCount", column.JsonPath);
    }

    [Fact]
    public void PrinterColumns_Should_PointAtSchemaFields()
    {
        foreach (var crd in GeneratedCrds.ByKind.Values)
        {
            var version = crd.Spec.Versions.Single();
            foreach (var column in version.AdditionalPrinterColumns.Where(c => !c.JsonPath.StartsWith(".metadata", StringComparison.Ordinal)))
            {
                // ".status.conditions[?(@.type==\"Ready\")].status" → status, conditions, status
                var segments = column.JsonPath.Split('.', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => s.Split('[')[0]).Where(s => s.Length > 0 && !s.StartsWith('@')).ToList();
                var node = version.Schema.OpenAPIV3Schema;
                foreach (var segment in segments.Where(s => !s.Contains('"', StringComparison.Ordinal)))
                {
                    node = node.Type == "array" ? SchemaProps.ItemsOf(node) : node;
                    Assert.True(node.Properties?.ContainsKey(segment) == true, $"{crd.Spec.Names.Kind} column {column.Name}: '{segment}' of {column.JsonPath} is not in the schema");
                    node = node.Properties![segment];
                }
            }
        }
    }
}
