using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
public sealed partial class CompiledPolicy
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

    /// <summary>Which of <see cref="RequestCelValues.Names"/> the expressions mention (so only those are converted).</summary>
    public required IReadOnlySet<string> UsedValues { get; init; }

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
        var matchConditions = Named(spec["matchConditions"], "name", "expression", cel);
        var variables = Named(spec["variables"], "name", "expression", cel);
        var validations = (spec["validations"] as JsonArray)?.OfType<JsonObject>().Select(v => new PolicyValidation(
            PolicyExpression.Compile(cel, Text(v, "expression")),
            v["message"]?.GetValue<string>(),
            v["messageExpression"]?.GetValue<string>() is { Length: > 0 } message ? PolicyExpression.Compile(cel, message) : null,
            v["reason"]?.GetValue<string>())).ToList() ?? [];
        var auditAnnotations = Named(spec["auditAnnotations"], "key", "valueExpression", cel);
        var expressions = matchConditions.Concat(variables).Concat(auditAnnotations).Select(e => e.Expression.Expression)
            .Concat(validations.SelectMany(v => new[] { v.Rule.Expression, v.MessageExpression?.Expression ?? "" }));
        return new CompiledPolicy
        {
            Name = policy["metadata"]?["name"]?.GetValue<string>() ?? "",
            IgnoreFailures = spec["failurePolicy"]?.GetValue<string>() == "Ignore",
            Constraints = constraints,
            ConfigurationError = configurationError,
            MatchConditions = matchConditions,
            Variables = variables,
            Validations = validations,
            AuditAnnotations = auditAnnotations,
            UsedValues = RequestCelValues.Names.Where(name => expressions.Any(e => Mentions(e, name))).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Whether <paramref name="expression"/> mentions the identifier (a word; a mention inside a string literal only costs a conversion).</summary>
    private static bool Mentions(string expression, string identifier) =>
        Identifier().Matches(expression).Any(m => m.Value == identifier);

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    private static IReadOnlyList<NamedExpression> Named(JsonNode? list, string nameField, string expressionField, KubeCelEnvironment cel) =>
        (list as JsonArray)?.OfType<JsonObject>()
            .Select(e => new NamedExpression(Text(e, nameField), PolicyExpression.Compile(cel, Text(e, expressionField))))
            .ToList() ?? [];

    private static string Text(JsonObject obj, string field) => obj[field]?.GetValue<string>() ?? "";
}
