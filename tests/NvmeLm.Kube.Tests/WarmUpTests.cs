using System.Text.Json.Nodes;
using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.WarmUp;

namespace NvmeLm.Kube.Tests;

public sealed class WarmUpTests
{
    /// <summary>The serializer warm-up touches every member: the exemplar sets what the window writes first (results, stamps, the downtime record).</summary>
    [Fact]
    public void RoundTrip_Should_WriteEveryMemberTheWindowSets_When_GivenTheResources()
    {
        JsonNode node = JsonNode.Parse(SerializerWarmUp.RoundTrip(typeof(V1Alpha1NvmeNode)))!;
        JsonNode migration = JsonNode.Parse(SerializerWarmUp.RoundTrip(typeof(V1Alpha1NvmeMigration)))!;

        JsonNode result = node["status"]!["operationResults"]![0]!;
        foreach (string name in new[] { "id", "state", "stateSha256", "stateSizeBytes", "startedAt", "finishedAt", "seenAt", "reportedAt" })
        {
            Assert.NotNull(result[name]);
        }

        Assert.NotNull(migration["status"]!["downtime"]!["milliseconds"]);
        Assert.NotNull(node["spec"]!["operations"]![0]!["stateFrom"]);
        Assert.NotNull(SerializerWarmUp.RoundTrip(typeof(k8s.Models.V1Secret)));
    }

    /// <summary>What is written reads back the same: the exemplar exercises the readers as well as the writers.</summary>
    [Fact]
    public void Exemplar_Should_SurviveARoundTrip_When_Serialized()
    {
        var exemplar = (V1Alpha1NvmeNode)Exemplar.Of(typeof(V1Alpha1NvmeNode))!;
        string json = KubernetesJson.Serialize(exemplar);

        Assert.Equal(json, KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Alpha1NvmeNode>(json)));
    }

    [Fact]
    public async Task StartOnce_Should_CompileTheAsyncPlumbing_When_AnAssemblyHasAsyncMethods()
    {
        int compiled = await CodeWarmUp.StartOnce([typeof(NamespacedName).Assembly], []);

        Assert.True(compiled > CodeWarmUp.Methods(typeof(NamespacedName).Assembly).Count(),
            "the async state machines' boxes and builder methods are compiled on top of the assembly's own methods");
    }
}
