using System.Text.Json.Nodes;
using k8s;
using NvmeLm.DevCluster;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// Every object the chart renders, with helm 4 and helm 3 and every value set, checked against the real Kubernetes
/// OpenAPI schema of its kind: kubernetes-models' generated validators (types, required fields, formats, enums), and
/// KubernetesClient's generated models in strict mode (a field the kind does not have — which the validators let
/// through, as the OpenAPI does not close its objects — is an error, as kubectl's fieldValidation=Strict makes it).
/// </summary>
public sealed class ChartOpenApiTests
{
    public static TheoryData<int, string> Cases => ChartValueSets.WithBothHelms();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RenderedObjects_Should_MatchTheKubernetesOpenApiSchemaOfTheirKind(int helm, string valueSet)
    {
        IReadOnlyList<JsonObject> objects = YamlJson.ParseDocuments(await HelmChart.RenderAsync(helm, ChartValueSets.Arguments(valueSet)));

        var verdicts = await KubeModels.ValidateAsync(objects);

        Assert.Equal(objects.Count, verdicts.Count);
        Assert.True(verdicts.Count >= 15, $"only {verdicts.Count} objects rendered");
        var withoutModel = verdicts.Where(v => v.Model is null).Select(v => $"{v.ApiVersion} {v.Kind}").ToList();
        Assert.True(withoutModel.Count == 0, "no schema model for: " + string.Join(", ", withoutModel));
        var invalid = verdicts.Where(v => v.Errors.Count > 0).Select(v => $"{v.Kind} {v.Name}: {string.Join("; ", v.Errors)}").ToList();
        Assert.True(invalid.Count == 0, "objects the OpenAPI schema rejects:\n" + string.Join("\n", invalid));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RenderedBuiltins_Should_HaveNoFieldTheirKindLacks(int helm, string valueSet)
    {
        IReadOnlyList<JsonObject> objects = YamlJson.ParseDocuments(await HelmChart.RenderAsync(helm, ChartValueSets.Arguments(valueSet)));
        var builtins = objects.Where(o => !((string?)o["apiVersion"] ?? "").StartsWith("monitoring.coreos.com/", StringComparison.Ordinal)).ToList();

        var failures = new List<string>();
        foreach (JsonObject obj in builtins)
        {
            try
            {
                Assert.Single(KubernetesYaml.LoadAllFromString(obj.ToJsonString(), typeMap: null, strict: true));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"{obj["kind"]} {obj["metadata"]?["name"]}: {e.GetBaseException().Message}");
            }
        }

        Assert.NotEmpty(builtins);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
