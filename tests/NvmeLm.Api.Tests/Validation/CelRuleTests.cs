using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.Api.Tests.Validation;

/// <summary>x-kubernetes-validations evaluation with the Cel package, on small schemas.</summary>
public class CelRuleTests
{
    private static readonly SchemaValidator s_validator = SchemaValidator.Create(KubernetesJson.Deserialize<V1JSONSchemaProps>("""
        {"type":"object","properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[
            {"rule":"self.a != self.b || self.same","message":"a and b must differ unless same is true","fieldPath":".b"},
            {"rule":"!has(self.q) || self.q >= 2","message":"q must be at least 2 when set"},
            {"rule":"size(self.items) <= 3","message":"at most 3 items","reason":"FieldValueForbidden"}],
          "properties":{
            "a":{"type":"string","x-kubernetes-validations":[{"rule":"self == oldSelf","message":"a is immutable"}]},
            "b":{"type":"string"},
            "same":{"type":"boolean","default":false},
            "q":{"type":"integer"},
            "opt":{"type":"object","properties":{"x":{"type":"string"}}},
            "items":{"type":"array","default":[],"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],
              "items":{"type":"object","required":["id"],
                "x-kubernetes-validations":[{"rule":"self == oldSelf","message":"items are immutable"}],
                "properties":{"id":{"type":"string"},"v":{"type":"integer"}}}}}}}}
        """));

    private static JsonObject Obj(string spec) => JsonNode.Parse($$"""{"spec":{{spec}}}""")!.AsObject();

    [Fact]
    public void ValidateCreate_Should_Accept_When_AllRulesHold()
    {
        Assert.Empty(s_validator.ValidateCreate(Obj("""{"a":"x","b":"y","q":2,"items":[{"id":"1"}]}""")));
    }

    [Fact]
    public void ValidateCreate_Should_ReportRuleMessage_AtFieldPath_When_RuleFails()
    {
        var error = Assert.Single(s_validator.ValidateCreate(Obj("""{"a":"x","b":"x"}""")));

        Assert.Equal(new FieldError("spec.b", FieldErrorType.Invalid, "spec.b: Invalid value: \"object\": a and b must differ unless same is true"), error);
    }

    [Fact]
    public void ValidateUpdate_Should_RatchetRulesWithoutOldSelf_When_TheValueIsUnchanged()
    {
        // Stored (with its defaults) before the rule existed: a and b are equal, which the rule forbids.
        var stored = Obj("""{"a":"x","b":"x","same":false,"items":[]}""");

        // Unchanged spec (a status-only write, in effect): the violation is not re-reported, as kube ratchets it.
        Assert.Empty(s_validator.ValidateUpdate(Obj("""{"a":"x","b":"x"}"""), stored));
        // A change to the spec evaluates every rule on it again.
        Assert.Single(s_validator.ValidateUpdate(Obj("""{"a":"x","b":"x","q":5}"""), stored));
        // Transition rules are never ratcheted: a changed immutable field is refused even beside unchanged values.
        Assert.Contains(s_validator.ValidateUpdate(Obj("""{"a":"z","b":"y"}"""), Obj("""{"a":"x","b":"y"}""")), e => e.Message.Contains("a is immutable", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateCreate_Should_UseDefaultsInRules()
    {
        // "same" is defaulted to false before the rules run, so the rule can read it without has().
        Assert.Single(s_validator.ValidateCreate(Obj("""{"a":"x","b":"x"}""")));
        Assert.Empty(s_validator.ValidateCreate(Obj("""{"a":"x","b":"x","same":true}""")));
    }

    [Fact]
    public void ValidateCreate_Should_ReportObjectValue_When_RuleHasNoFieldPath()
    {
        var error = Assert.Single(s_validator.ValidateCreate(Obj("""{"a":"x","b":"y","q":1}""")));

        Assert.Equal("spec: Invalid value: \"object\": q must be at least 2 when set", error.Message);
    }

    [Fact]
    public void ValidateCreate_Should_MapRuleReason_When_ReasonGiven()
    {
        var error = Assert.Single(s_validator.ValidateCreate(Obj("""{"a":"x","b":"y","items":[{"id":"1"},{"id":"2"},{"id":"3"},{"id":"4"}]}""")));

        Assert.Equal(FieldErrorType.Forbidden, error.Type);
        Assert.Equal("spec: Forbidden: at most 3 items", error.Message);
    }

    [Fact]
    public void ValidateCreate_Should_SkipTransitionRules()
    {
        Assert.Empty(s_validator.ValidateCreate(Obj("""{"a":"x","b":"y"}""")));
    }

    [Fact]
    public void ValidateUpdate_Should_RejectChange_When_TransitionRuleFails()
    {
        var error = Assert.Single(s_validator.ValidateUpdate(Obj("""{"a":"changed","b":"y"}"""), Obj("""{"a":"x","b":"y"}""")));

        Assert.Equal("spec.a: Invalid value: \"string\": a is immutable", error.Message);
    }

    [Fact]
    public void ValidateUpdate_Should_SkipTransitionRule_When_OldValueAbsent()
    {
        Assert.Empty(s_validator.ValidateUpdate(Obj("""{"a":"x","b":"y"}"""), Obj("""{"b":"y"}""")));
    }

    [Fact]
    public void ValidateUpdate_Should_CorrelateMapListItemsByKey()
    {
        var old = Obj("""{"a":"x","b":"y","items":[{"id":"1","v":1},{"id":"2","v":2}]}""");

        // Reordered and a new item added: the rule compares items with the same id only.
        Assert.Empty(s_validator.ValidateUpdate(Obj("""{"a":"x","b":"y","items":[{"id":"3","v":9},{"id":"2","v":2},{"id":"1","v":1}]}"""), old));

        var error = Assert.Single(s_validator.ValidateUpdate(Obj("""{"a":"x","b":"y","items":[{"id":"1","v":1},{"id":"2","v":5}]}"""), old));
        Assert.Equal("spec.items[1]: Invalid value: \"object\": items are immutable", error.Message);
    }

    [Fact]
    public void ValidateUpdate_Should_NotModifyOldObject()
    {
        var old = Obj("""{"a":"x","b":"y","unknown":1}""");

        s_validator.ValidateUpdate(Obj("""{"a":"x","b":"y"}"""), old);

        Assert.Equal("""{"spec":{"a":"x","b":"y","unknown":1}}""", old.ToJsonString());
    }

    [Fact]
    public void Rule_Should_ReportEvaluationError_When_FieldMissingWithoutHas()
    {
        var validator = SchemaValidator.Create(KubernetesJson.Deserialize<V1JSONSchemaProps>("""
            {"type":"object","properties":{"spec":{"type":"object",
              "x-kubernetes-validations":[{"rule":"self.opt.x == 'a'","message":"m"}],
              "properties":{"opt":{"type":"object","properties":{"x":{"type":"string"}}}}}}}
            """));

        var error = Assert.Single(validator.ValidateCreate(Obj("""{}""")));

        Assert.Equal("spec", error.Field);
        Assert.EndsWith("evaluating rule: self.opt.x == 'a'", error.Message);
    }
}
