using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Cel;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Selectors;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// Refuses a ValidatingAdmissionPolicy or binding that could not work, with 422 and a cause per problem, as
/// kube-apiserver's validation of these kinds does (pkg/apis/admissionregistration/validation): expressions that
/// do not compile, missing matchConstraints or resourceRules, a policy with neither validations nor audit
/// annotations, unknown failure policies and validation actions, Deny together with Warn, bad selectors — and,
/// unlike kube, <c>paramKind</c>/<c>paramRef</c>, because this server does not resolve policy parameters.
/// </summary>
public sealed class PolicyObjectValidator
{
    private readonly KubeCelEnvironment _cel;

    public PolicyObjectValidator(KubeCelEnvironment cel) => _cel = cel;

    /// <summary>Whether <paramref name="request"/> writes a policy or binding object (its main resource, not its status).</summary>
    public static bool Applies(AdmissionAttributes request) =>
        request.Operation != AdmissionOperation.Delete && request.Subresource.Length == 0 && request.Object is not null
        && request.Type.Group == AdmissionPolicySet.Group
        && request.Type.Plural is "validatingadmissionpolicies" or "validatingadmissionpolicybindings";

    public void Validate(AdmissionAttributes request)
    {
        var spec = request.Object!["spec"] as JsonObject ?? new JsonObject();
        var causes = request.Type.Plural == "validatingadmissionpolicies" ? PolicyCauses(spec) : BindingCauses(spec);
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(request.Type.Kind, request.Type.Group, request.Name, causes);
        }
    }

    private List<InvalidCause> PolicyCauses(JsonObject spec)
    {
        var causes = new List<InvalidCause>();
        if (spec["paramKind"] is not null)
        {
            causes.Add(Forbidden("spec.paramKind", "policy parameters are not supported by this server"));
        }
        if (spec["failurePolicy"]?.GetValue<string>() is string failurePolicy && failurePolicy is not ("Fail" or "Ignore"))
        {
            causes.Add(Unsupported("spec.failurePolicy", failurePolicy, "\"Fail\", \"Ignore\""));
        }
        if (spec["matchConstraints"] is not JsonObject constraints)
        {
            causes.Add(Required("spec.matchConstraints", "must be specified"));
        }
        else
        {
            if ((constraints["resourceRules"] as JsonArray)?.Count is null or 0)
            {
                causes.Add(Required("spec.matchConstraints.resourceRules", ""));
            }
            Selectors(constraints, "spec.matchConstraints", causes);
        }
        if ((spec["validations"] as JsonArray)?.Count is null or 0 && (spec["auditAnnotations"] as JsonArray)?.Count is null or 0)
        {
            causes.Add(Required("spec.validations", "validations or auditAnnotations must contain at least one item"));
        }
        Expressions(spec, "matchConditions", "expression", causes);
        Expressions(spec, "variables", "expression", causes);
        Expressions(spec, "validations", "expression", causes);
        Expressions(spec, "validations", "messageExpression", causes);
        Expressions(spec, "auditAnnotations", "valueExpression", causes);
        return causes;
    }

    private static List<InvalidCause> BindingCauses(JsonObject spec)
    {
        var causes = new List<InvalidCause>();
        if (string.IsNullOrEmpty(spec["policyName"]?.GetValue<string>()))
        {
            causes.Add(Required("spec.policyName", ""));
        }
        if (spec["paramRef"] is not null)
        {
            causes.Add(Forbidden("spec.paramRef", "policy parameters are not supported by this server"));
        }
        var actions = (spec["validationActions"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
        if (actions.Count == 0)
        {
            causes.Add(Required("spec.validationActions", "at least one validation action is required"));
        }
        for (int i = 0; i < actions.Count; i++)
        {
            if (actions[i] is not ("Deny" or "Warn" or "Audit"))
            {
                causes.Add(Unsupported($"spec.validationActions[{i}]", actions[i], "\"Audit\", \"Deny\", \"Warn\""));
            }
        }
        if (actions.Contains("Deny") && actions.Contains("Warn"))
        {
            causes.Add(new InvalidCause("FieldValueInvalid", "spec.validationActions",
                "Invalid value: [\"" + string.Join("\",\"", actions) + "\"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
        }
        if (spec["matchResources"] is JsonObject match)
        {
            Selectors(match, "spec.matchResources", causes);
        }
        return causes;
    }

    private void Expressions(JsonObject spec, string list, string field, List<InvalidCause> causes)
    {
        if (spec[list] is not JsonArray items)
        {
            return;
        }
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i]?[field]?.GetValue<string>() is not string expression)
            {
                continue;
            }
            try
            {
                _cel.Compile(expression);
            }
            catch (CelExpressionException e)
            {
                causes.Add(new InvalidCause("FieldValueInvalid", $"spec.{list}[{i}].{field}", $"Invalid value: \"{expression}\": {e.Message}"));
            }
        }
    }

    private static void Selectors(JsonObject match, string path, List<InvalidCause> causes)
    {
        foreach (string selector in new[] { "namespaceSelector", "objectSelector" })
        {
            try
            {
                LabelSelectorObject.Parse(match[selector]);
            }
            catch (ApiException e)
            {
                causes.Add(new InvalidCause("FieldValueInvalid", $"{path}.{selector}", $"Invalid value: {e.Message}"));
            }
        }
    }

    private static InvalidCause Required(string field, string detail) =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    private static InvalidCause Forbidden(string field, string detail) => new("FieldValueForbidden", field, $"Forbidden: {detail}");

    private static InvalidCause Unsupported(string field, string value, string supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: \"{value}\": supported values: {supported}");
}
