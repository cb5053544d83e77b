using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.Api.Tests.Validation;

/// <summary>The validator on its own, against small hand-written schemas.</summary>
public class SchemaValidatorTests
{
    private static SchemaValidator ValidatorFor(string schemaJson) =>
        SchemaValidator.Create(KubernetesJson.Deserialize<V1JSONSchemaProps>(schemaJson));

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>kube's note that CEL rules were skipped after a blocking schema error.</summary>
    private static readonly FieldError RulesSkipped = new("<nil>", FieldErrorType.Invalid,
        "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");

    private const string NumVfsSchema = """
        {"type":"object","properties":{"spec":{"type":"object","required":["numVfs"],
          "x-kubernetes-validations":[{"rule":"!has(self.name) || self.name != 'root'","message":"name may not be root"}],
          "properties":{
          "numVfs":{"type":"integer","minimum":1,"maximum":255},
          "mode":{"type":"string","enum":["Apply","Plan"],"default":"Apply"},
          "name":{"type":"string","maxLength":5,"minLength":2,"pattern":"^[a-z]+$"},
          "tags":{"type":"array","maxItems":2,"minItems":1,"items":{"type":"string"},"x-kubernetes-list-type":"set"}}}}}
        """;

    [Fact]
    public void ValidateCreate_Should_ReportKubeMessage_When_IntegerAboveMaximum()
    {
        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{"numVfs":300}}"""));

        var error = Assert.Single(errors);
        Assert.Equal("spec.numVfs", error.Field);
        Assert.Equal(FieldErrorType.Invalid, error.Type);
        Assert.Equal("FieldValueInvalid", error.Reason);
        Assert.Equal("spec.numVfs: Invalid value: 300: spec.numVfs in body should be less than or equal to 255", error.Message);
        Assert.Equal("Invalid value: 300: spec.numVfs in body should be less than or equal to 255", error.Detail);
    }

    [Fact]
    public void ValidateCreate_Should_ReportRequired_When_FieldMissing()
    {
        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{}}"""));

        Assert.Equal([new FieldError("spec.numVfs", FieldErrorType.Required, "spec.numVfs: Required value"), RulesSkipped], errors);
        Assert.Equal("FieldValueRequired", errors[0].Reason);
    }

    [Fact]
    public void ValidateCreate_Should_ReportNotSupported_When_ValueOutsideEnum()
    {
        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{"numVfs":1,"mode":"Later"}}"""));

        Assert.Equal(FieldErrorType.NotSupported, errors[0].Type);
        Assert.Equal("spec.mode: Unsupported value: \"Later\": supported values: \"Apply\", \"Plan\"", errors[0].Message);
        Assert.Equal(RulesSkipped, errors[1]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void ValidateCreate_Should_ReportTypeInvalid_And_SkipRules_When_TypeIsWrong()
    {
        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{"numVfs":"four"}}"""));

        Assert.Equal(2, errors.Count);
        Assert.Equal(FieldErrorType.TypeInvalid, errors[0].Type);
        Assert.Equal("FieldValueTypeInvalid", errors[0].Reason);
        Assert.Equal("spec.numVfs: Invalid value: \"four\": spec.numVfs in body must be of type integer: \"string\"", errors[0].Message);
        Assert.Equal(RulesSkipped, errors[1]);
    }

    [Theory]
    [InlineData("""{"numVfs":1,"name":"abcdef"}""", "spec.name", FieldErrorType.TooLong, "spec.name: Too long: may not be longer than 5")]
    [InlineData("""{"numVfs":1,"name":"a"}""", "spec.name", FieldErrorType.Invalid, "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long")]
    [InlineData("""{"numVfs":1,"name":"AB"}""", "spec.name", FieldErrorType.Invalid, "spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'")]
    [InlineData("""{"numVfs":1,"tags":["a","b","c"]}""", "spec.tags", FieldErrorType.TooMany, "spec.tags: Too many: 3: must have at most 2 items")]
    [InlineData("""{"numVfs":1,"tags":[]}""", "spec.tags", FieldErrorType.Invalid, "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items")]
    [InlineData("""{"numVfs":1,"tags":["a","a"]}""", "spec.tags[1]", FieldErrorType.Invalid, "spec.tags[1]: Invalid value: \"a\": duplicate entry in a list of type set")]
    [InlineData("""{"numVfs":0}""", "spec.numVfs", FieldErrorType.Invalid, "spec.numVfs: Invalid value: 0: spec.numVfs in body should be greater than or equal to 1")]
    public void ValidateCreate_Should_RejectWithKubeMessage_When_BoundOrFormatViolated(string spec, string field, FieldErrorType type, string message)
    {
        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(Obj($$"""{"spec":{{spec}}}"""));

        Assert.Equal(new FieldError(field, type, message), errors[0]);
        bool blocking = type is FieldErrorType.TooLong or FieldErrorType.TooMany;
        Assert.Equal(blocking ? [errors[0], RulesSkipped] : [errors[0]], errors);
    }

    [Fact]
    public void ValidateCreate_Should_RunRules_When_NoBlockingError()
    {
        var error = Assert.Single(ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{"numVfs":1,"name":"root"}}""")));

        Assert.Equal("spec: Invalid value: \"object\": name may not be root", error.Message);
    }

    [Fact]
    public void Pattern_Should_RejectTrailingNewline_Like_Re2()
    {
        var error = Assert.Single(ValidatorFor(NumVfsSchema).ValidateCreate(Obj("""{"spec":{"numVfs":1,"name":"ab\n"}}""")));

        Assert.Equal("spec.name", error.Field);
        Assert.Contains("should match", error.Message);
    }

    [Fact]
    public void ValidateCreate_Should_ApplyDefaults_And_PruneUnknownFields_InPlace()
    {
        var obj = Obj("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a","labels":{"l":"v"}},"spec":{"numVfs":2,"bogus":1},"extra":true}""");

        var errors = ValidatorFor(NumVfsSchema).ValidateCreate(obj);

        Assert.Empty(errors);
        Assert.Equal("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a","labels":{"l":"v"}},"spec":{"numVfs":2,"mode":"Apply"}}""", obj.ToJsonString());
    }

    [Fact]
    public void ValidateCreate_Should_ReplaceNullByDefault_And_DropOtherNulls()
    {
        var obj = Obj("""{"spec":{"numVfs":2,"mode":null,"name":null}}""");

        Assert.Empty(ValidatorFor(NumVfsSchema).ValidateCreate(obj));
        Assert.Equal("""{"spec":{"numVfs":2,"mode":"Apply"}}""", obj.ToJsonString());
    }

    [Fact]
    public void PreserveUnknownFields_Should_KeepUnlistedFields()
    {
        var validator = ValidatorFor("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "payload":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}
            """);
        var obj = Obj("""{"spec":{"payload":{"anything":[1,2]},"dropped":1}}""");

        Assert.Empty(validator.ValidateCreate(obj));
        Assert.Equal("""{"spec":{"payload":{"anything":[1,2]}}}""", obj.ToJsonString());
    }

    [Fact]
    public void AdditionalProperties_Should_ValidateMapValues_WithKeyPaths()
    {
        var validator = ValidatorFor("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "labels":{"type":"object","additionalProperties":{"type":"string","maxLength":3}}}}}}
            """);

        var error = Assert.Single(validator.ValidateCreate(Obj("""{"spec":{"labels":{"ok":"abc","bad":"abcd"}}}""")));

        Assert.Equal("spec.labels[bad]", error.Field);
        Assert.Equal(FieldErrorType.TooLong, error.Type);
    }

    [Fact]
    public void Create_Should_Throw_When_RuleDoesNotCompile()
    {
        var ex = Assert.Throws<ArgumentException>(() => ValidatorFor("""
            {"type":"object","properties":{"spec":{"type":"object","x-kubernetes-validations":[{"rule":"self.a ==","message":"m"}]}}}
            """));

        Assert.Contains("does not compile", ex.Message);
    }
}
