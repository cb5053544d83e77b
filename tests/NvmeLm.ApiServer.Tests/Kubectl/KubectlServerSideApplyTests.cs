using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>Server-side apply as the real kubectl 1.35 uses it: managedFields, conflicts, forced takeover, removal of dropped fields.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlServerSideApplyTests : IClassFixture<KubectlClusterFixture>
{
    private readonly KubectlClusterFixture _cluster;

    public KubectlServerSideApplyTests(KubectlClusterFixture cluster) => _cluster = cluster;

    private KubectlRunner Kubectl => _cluster.Kubectl;

    [Fact]
    public async Task ApplyServerSide_Should_RecordManagedFieldsOfTheApplier()
    {
        (await ApplyAsync(ConfigMap("ssa-fields", ("a", "1"), ("b", "2")))).EnsureSuccess();

        var managed = await ManagedFieldsAsync("configmap", "ssa-fields");

        var entry = Assert.Single(managed)!;
        Assert.Equal("kubectl", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", entry["time"]!.GetValue<string>());
        Assert.Equal("""{"f:data":{"f:a":{},"f:b":{}}}""", entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task ApplyServerSide_Should_Conflict_When_AnotherManagerOwnsTheField_And_ForceConflictsTakesIt()
    {
        (await ApplyAsync(ConfigMap("ssa-conflict", ("a", "1")))).EnsureSuccess();

        var conflict = await ApplyAsync(ConfigMap("ssa-conflict", ("a", "changed")), "--field-manager=other");
        var forced = await ApplyAsync(ConfigMap("ssa-conflict", ("a", "changed")), "--field-manager=other", "--force-conflicts");
        var managed = await ManagedFieldsAsync("configmap", "ssa-conflict");

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\": .data.a", conflict.Stderr);
        forced.EnsureSuccess();
        var owner = Assert.Single(managed)!;
        Assert.Equal("other", owner["manager"]!.GetValue<string>());
        Assert.Equal("changed", (await GetJsonAsync("configmap", "ssa-conflict"))["data"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyServerSide_Should_RemoveAFieldDroppedFromTheConfig_UnlessAnotherManagerOwnsIt()
    {
        (await ApplyAsync(ConfigMap("ssa-drop", ("a", "1"), ("b", "2"), ("c", "3")))).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "configmap", "ssa-drop", "--type=merge", "-p", """{"data":{"c":"edited"}}""")).EnsureSuccess();

        (await ApplyAsync(ConfigMap("ssa-drop", ("a", "1")))).EnsureSuccess();
        var data = (await GetJsonAsync("configmap", "ssa-drop"))["data"]!.AsObject();

        Assert.Equal(["a", "c"], data.Select(p => p.Key).Order());
        Assert.Equal("edited", data["c"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApplyServerSide_Should_ShareAField_When_TwoManagersApplyTheSameValue()
    {
        (await ApplyAsync(ConfigMap("ssa-shared", ("a", "1")))).EnsureSuccess();

        (await ApplyAsync(ConfigMap("ssa-shared", ("a", "1")), "--field-manager=second")).EnsureSuccess();
        var managers = (await ManagedFieldsAsync("configmap", "ssa-shared")).Select(m => m!["manager"]!.GetValue<string>()).Order();

        Assert.Equal(["kubectl", "second"], managers);
    }

    [Fact]
    public async Task ApplyServerSide_Should_MergeContainersByNameAndPortsByKey_AcrossManagers()
    {
        (await ApplyAsync(Deployment("ssa-lists", "op", "example/op:1", 8080, 9090))).EnsureSuccess();
        (await ApplyAsync(Deployment("ssa-lists", "sidecar", "example/side:1"), "--field-manager=injector")).EnsureSuccess();

        var conflict = await ApplyAsync(Deployment("ssa-lists", "op", "example/op:2"), "--field-manager=injector");
        (await ApplyAsync(Deployment("ssa-lists", "op", "example/op:1", 8080))).EnsureSuccess();
        var deployment = await GetJsonAsync("deployment", "ssa-lists");

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict with \"kubectl\": .spec.template.spec.containers[name=\"op\"].image", conflict.Stderr);
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["op", "sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([8080], containers[0]!["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>()));
        var kubectl = (await ManagedFieldsAsync("deployment", "ssa-lists")).Single(m => m!["manager"]!.GetValue<string>() == "kubectl")!;
        var op = kubectl["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"op\"}"]!;
        Assert.NotNull(op["f:ports"]!["k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"]);
        Assert.NotNull(op["."]);
    }

    [Fact]
    public async Task ApplyServerSide_Should_ServeACrdWhosePrinterColumnHasAPriority()
    {
        const string Crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.ssa.nvmelm.io}
            spec:
              group: ssa.nvmelm.io
              scope: Cluster
              names: {plural: gadgets, singular: gadget, kind: Gadget}
              versions:
              - name: v1
                served: true
                storage: true
                additionalPrinterColumns:
                - {name: Size, type: integer, jsonPath: .spec.size, priority: 1}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: integer}}}
            """;
        (await ApplyAsync(Crd)).EnsureSuccess();
        (await ApplyAsync("apiVersion: ssa.nvmelm.io/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 3}\n")).EnsureSuccess();

        var wide = (await Kubectl.RunAsync("get", "gadgets", "-o", "wide")).EnsureSuccess().Stdout;

        Assert.Matches(@"g\s+3", wide);
    }

    private static string Deployment(string name, string container, string image, params int[] ports)
    {
        string yaml = "apiVersion: apps/v1\nkind: Deployment\n"
            + $"metadata: {{name: {name}}}\n"
            + "spec:\n"
            + $"  selector: {{matchLabels: {{app: {name}}}}}\n"
            + "  template:\n"
            + $"    metadata: {{labels: {{app: {name}}}}}\n"
            + "    spec:\n"
            + "      containers:\n"
            + $"      - name: {container}\n"
            + $"        image: {image}\n";
        return ports.Length == 0 ? yaml : yaml + "        ports:\n" + string.Concat(ports.Select(p => $"        - {{containerPort: {p}, protocol: TCP}}\n"));
    }

    private async Task<KubectlResult> ApplyAsync(string manifest, params string[] extra) =>
        await Kubectl.RunAsync(["apply", "--server-side", "-f", KubectlClusterFixture.Manifest(manifest), .. extra]);

    private async Task<JsonObject> GetJsonAsync(string kind, string name) =>
        JsonNode.Parse((await Kubectl.RunAsync("get", kind, name, "-o", "json", "--show-managed-fields")).EnsureSuccess().Stdout)!.AsObject();

    private async Task<JsonArray> ManagedFieldsAsync(string kind, string name) =>
        (await GetJsonAsync(kind, name))["metadata"]!["managedFields"]!.AsArray();

    private static string ConfigMap(string name, params (string Key, string Value)[] data) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n" + string.Concat(data.Select(d => $"  {d.Key}: \"{d.Value}\"\n"));
}
