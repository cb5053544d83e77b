using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.ApiServer.Crds;

/// <summary>
/// Plugs the structural-schema and CEL validator (<see cref="SchemaValidator"/>) into the write path:
/// it prunes and defaults in place, and its field errors become the causes of a 422 Invalid Status.
/// </summary>
public sealed class SchemaValidatorAdapter : IObjectValidator
{
    private readonly SchemaValidator _validator;

    private SchemaValidatorAdapter(SchemaValidator validator) => _validator = validator;

    /// <summary>Compiles a CRD version's schema; throws <see cref="ArgumentException"/> for a bad pattern or CEL rule.</summary>
    public static IObjectValidator Create(JsonObject openApiV3Schema)
    {
        var props = KubernetesJson.Deserialize<V1JSONSchemaProps>(openApiV3Schema.ToJsonString());
        return new SchemaValidatorAdapter(SchemaValidator.Create(props));
    }

    public IReadOnlyList<InvalidCause> ValidateCreate(JsonObject obj) => Causes(_validator.ValidateCreate(obj));

    public IReadOnlyList<InvalidCause> ValidateUpdate(JsonObject obj, JsonObject oldObj) => Causes(_validator.ValidateUpdate(obj, oldObj));

    private static List<InvalidCause> Causes(IReadOnlyList<FieldError> errors) =>
        errors.Select(e => new InvalidCause(e.Reason, e.Field, e.Detail)).ToList();
}
