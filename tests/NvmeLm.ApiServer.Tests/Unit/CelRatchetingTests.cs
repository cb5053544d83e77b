using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.ApiServer.Tests.Unit;

/// <summary>
/// CEL ratcheting on update (KEP-4008): a rule without oldSelf is not evaluated on a value the update leaves unchanged;
/// transition rules and the items of a list that is not a map (no old item to correlate) still are, also below an
/// unchanged value that the walk would otherwise skip.
/// </summary>
public sealed class CelRatchetingTests
{
    private static readonly SchemaValidator s_validator = SchemaValidator.Create(KubernetesJson.Deserialize<V1JSONSchemaProps>("""
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "properties": {
                "plain": { "type": "object", "properties": { "n": { "type": "integer" } },
                           "x-kubernetes-validations": [ { "rule": "self.n < 10", "message": "n too large" } ] },
                "growing": { "type": "object", "properties": { "size": { "type": "integer" } },
                             "x-kubernetes-validations": [ { "rule": "self.size > oldSelf.size", "message": "size must grow" } ] },
                "atomic": { "type": "array", "items": { "type": "object", "properties": { "v": { "type": "integer" } },
                            "x-kubernetes-validations": [ { "rule": "self.v >= 0", "message": "v negative" } ] } }
              }
            },
            "status": { "type": "object", "properties": { "count": { "type": "integer" } } }
          }
        }
        """));

    private static JsonObject Object(string spec, int count) =>
        JsonNode.Parse($$"""{ "apiVersion": "t/v1", "kind": "T", "metadata": { "name": "a" }, "spec": {{spec}}, "status": { "count": {{count}} } }""")!.AsObject();

    [Fact]
    public void ValidateUpdate_Should_NotEvaluatePlainRules_When_TheSpecIsUnchanged()
    {
        const string Spec = """{ "plain": { "n": 99 } }""";

        Assert.Empty(s_validator.ValidateUpdate(Object(Spec, 2), Object(Spec, 1)));
        Assert.Contains(s_validator.ValidateUpdate(Object("""{ "plain": { "n": 98 } }""", 2), Object(Spec, 1)), e => e.Message.Contains("n too large", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateUpdate_Should_EvaluateTransitionRules_When_TheirValueIsInsideAnUnchangedSpec()
    {
        const string Spec = """{ "growing": { "size": 3 } }""";

        Assert.Contains(s_validator.ValidateUpdate(Object(Spec, 2), Object(Spec, 1)), e => e.Message.Contains("size must grow", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateUpdate_Should_EvaluateItemRulesOfAnAtomicList_When_TheListIsUnchanged()
    {
        const string Spec = """{ "atomic": [ { "v": -1 } ] }""";

        Assert.Contains(s_validator.ValidateUpdate(Object(Spec, 2), Object(Spec, 1)), e => e.Message.Contains("v negative", StringComparison.Ordinal));
    }
}
