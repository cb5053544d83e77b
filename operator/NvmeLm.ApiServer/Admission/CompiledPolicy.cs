using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Cel;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) read from its stored JSON, its expressions
/// compiled: matchConstraints, failurePolicy (Fail unless Ignore), matchConditions, variables, validations and
/// auditAnnotations. A policy that cannot be used as written (it has a <c>paramKind</c>, which this server does
/// not resolve, or unreadable selectors) keeps a configuration error; requests it would match are then denied
/// or let through by its failure policy, as kube does with a misconfigured policy.
/// </summary>
public sealed class CompiledPolicy
{
    public required string Name { get; init; }

    /// <summary>failurePolicy Ignore: evaluation and configuration errors let the request through.</summary>
    public required bool IgnoreFailures { get; init; }

    public required MatchResources Constraints { get; init; }

    public string? ConfigurationError { get; init; }

    public required IReadOnlyList<NamedExpression> MatchConditions { get; init; }

    public required IReadOnlyList<NamedExpression> Variables { get; init; }

    public required IReadOnlyList<PolicyValidation> Validations { get; init; }

    public required IReadOnlyList<NamedExpression> AuditAnnotations { get; init; }

    public static CompiledPolicy Read(JsonObject policy, KubeCelEnvironment cel)
    {
        var spec = policy["spec"] as JsonObject ?? new JsonObject();
        string? configurationError = spec["paramKind"] is JsonObject
            ? "paramKind is not supported by this server: policy parameters are not resolved"
            : null;
        MatchResources constraints;
        try
        {
            constraints = MatchResources.From(spec["matchConstraints"] as JsonObject ?? new JsonObject());
        }
        catch (ApiException e)
        {
            constraints = MatchResources.From(new JsonObject());
            configurationError ??= e.Message;
        }
        return new CompiledPolicy
        {
            Name = policy["metadata"]?["name"]?.GetValue<string>() ?? "",
            IgnoreFailures = spec["failurePolicy"]?.GetValue<string>() == "Ignore",
            Constraints = constraints,
            ConfigurationError = configurationError,
            MatchConditions = Named(spec["matchConditions"], "name", "expression", cel),
            Variables = Named(spec["variables"], "name", "expression", cel),
            Validations = (spec["validations"] as JsonArray)?.OfType<JsonObject>().Select(v => new PolicyValidation(
                PolicyExpression.Compile(cel, Text(v, "expression")),
                v["message"]?.GetValue<string>(),
                v["messageExpression"]?.GetValue<string>() is { Length: > 0 } message ? PolicyExpression.Compile(cel, message) : null,
                v["reason"]?.GetValue<string>())).ToList() ?? [],
            AuditAnnotations = Named(spec["auditAnnotations"], "key", "valueExpression", cel),
        };
    }

    private static IReadOnlyList<NamedExpression> Named(JsonNode? list, string nameField, string expressionField, KubeCelEnvironment cel) =>
        (list as JsonArray)?.OfType<JsonObject>()
            .Select(e => new NamedExpression(Text(e, nameField), PolicyExpression.Compile(cel, Text(e, expressionField))))
            .ToList() ?? [];

    private static string Text(JsonObject obj, string field) => obj[field]?.GetValue<string>() ?? "";
}
