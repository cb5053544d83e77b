using System.Text.Json.Nodes;
using Cel;
using k8s.Models;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Validates custom resources against a CRD version's <c>openAPIV3Schema</c> the way kube-apiserver does:
/// prune unknown fields and apply defaults in place, then check types, required, enums, patterns, bounds
/// and list invariants, then (unless a type error blocks them) the <c>x-kubernetes-validations</c> CEL rules,
/// with <c>oldSelf</c> for transition rules on update. Create once per CRD version and reuse; thread-safe.
/// </summary>
public sealed class SchemaValidator
{
    private const string RulesNotCheckedMessage =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private readonly SchemaNode _root;
    private readonly bool _hasRules;
    private readonly CelRuleValidator _rules = new(new object());

    private SchemaValidator(SchemaNode root)
    {
        _root = root;
        _hasRules = root.HasRules;
    }

    /// <summary>Compiles the schema; throws <see cref="ArgumentException"/> for a bad pattern or CEL rule.</summary>
    public static SchemaValidator Create(V1JSONSchemaProps openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var reader = new SchemaNodeReader(new CelEnvironment(null, null));
        return new SchemaValidator(reader.Read(openApiV3Schema, ""));
    }

    /// <summary>Prunes and defaults <paramref name="obj"/> in place, then validates it as a new object.</summary>
    public IReadOnlyList<FieldError> ValidateCreate(JsonObject obj) => Validate(obj, oldObj: null);

    /// <summary>
    /// Prunes and defaults <paramref name="obj"/> in place, then validates it as a replacement of
    /// <paramref name="oldObj"/> (which is not modified); transition rules compare the two.
    /// </summary>
    public IReadOnlyList<FieldError> ValidateUpdate(JsonObject obj, JsonObject oldObj)
    {
        ArgumentNullException.ThrowIfNull(oldObj);
        return Validate(obj, oldObj);
    }

    /// <summary>Only the in-place pruning and defaulting (what a read of stored data would apply).</summary>
    public void PruneAndDefault(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        SchemaDefaulter.PruneAndDefaultRoot(obj, _root);
    }

    private List<FieldError> Validate(JsonObject obj, JsonObject? oldObj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        SchemaDefaulter.PruneAndDefaultRoot(obj, _root);
        var errors = new List<FieldError>();
        StructuralValidator.ValidateRoot(obj, _root, errors);

        // kube-apiserver (customresource strategy hasBlockingErr) skips CEL after a type, required, enum or
        // size error: the object does not have the shape the rules were written for.
        if (!_hasRules)
        {
            return errors;
        }

        if (errors.Any(e => e.Type is FieldErrorType.TypeInvalid or FieldErrorType.NotSupported or FieldErrorType.Required
            or FieldErrorType.TooLong or FieldErrorType.TooMany))
        {
            errors.Add(new FieldError("<nil>", FieldErrorType.Invalid, $"<nil>: Invalid value: \"null\": {RulesNotCheckedMessage}"));
            return errors;
        }

        _rules.ValidateRoot(obj, oldObj, _root, errors);
        return errors;
    }
}
