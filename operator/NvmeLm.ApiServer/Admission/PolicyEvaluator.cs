using NvmeLm.ApiServer.Cel;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// Evaluates one policy for one request as kube's validator does
/// (k8s.io/apiserver/pkg/admission/plugin/policy/validating/validator.go, webhook/matchconditions/matcher.go):
/// matchConditions first (any false: the policy does not apply; errors with none false: a failure under Fail,
/// nothing under Ignore), then the variables in order, then each validation — true admits; false denies with the
/// messageExpression's result, else the message, else <c>failed expression: …</c>; an error denies under Fail
/// with <c>expression '…' resulted in error: …</c> — and the audit annotations.
/// </summary>
public sealed class PolicyEvaluator
{
    /// <summary>celconfig.MaxEvaluatedMessageExpressionSizeBytes: a longer message falls back to the static one.</summary>
    private const int MaxMessageBytes = 5 * 1024;

    private readonly KubeCelEnvironment _cel;

    public PolicyEvaluator(KubeCelEnvironment cel) => _cel = cel;

    public PolicyEvaluation Evaluate(CompiledPolicy policy, RequestCelValues values)
    {
        var activation = values.ActivationFor(policy.UsedValues);
        if (MatchConditionsFailure(policy, activation, out bool applies) is string conditionError)
        {
            return policy.IgnoreFailures ? PolicyEvaluation.Nothing : new PolicyEvaluation([new PolicyDecision(-1, conditionError, "Invalid")], []);
        }
        if (!applies)
        {
            return PolicyEvaluation.Nothing;
        }
        var variableErrors = BindVariables(policy, activation);
        var failures = new List<PolicyDecision>();
        for (int i = 0; i < policy.Validations.Count; i++)
        {
            var validation = policy.Validations[i];
            var (result, error) = Run(validation.Rule, activation, variableErrors);
            if (error is not null)
            {
                if (!policy.IgnoreFailures)
                {
                    failures.Add(new PolicyDecision(i, error, "Invalid"));
                }
            }
            else if (result is not true)
            {
                failures.Add(new PolicyDecision(i, FailureMessage(validation, activation), validation.Reason ?? "Invalid"));
            }
        }
        var annotations = new List<PolicyAuditAnnotation>();
        foreach (var annotation in policy.AuditAnnotations)
        {
            var (value, error) = Run(annotation.Expression, activation, variableErrors);
            if (error is null && value is not null and not string)
            {
                error = $"valueExpression '{annotation.Expression.Expression}' resulted in unsupported return type: {value.GetType().Name}. Return type must be either string or null.";
            }
            if (error is not null)
            {
                if (!policy.IgnoreFailures)
                {
                    failures.Add(new PolicyDecision(-1, error, "Invalid"));
                }
            }
            else if (value is string text && text.Trim().Length > 0)
            {
                annotations.Add(new PolicyAuditAnnotation(annotation.Name, text.Trim()));
            }
        }
        return new PolicyEvaluation(failures, annotations);
    }

    /// <summary>Null when the conditions evaluated (<paramref name="applies"/> then says whether all are true), else the aggregated errors.</summary>
    private string? MatchConditionsFailure(CompiledPolicy policy, Dictionary<string, object?> activation, out bool applies)
    {
        applies = true;
        List<string>? errors = null;
        foreach (var condition in policy.MatchConditions)
        {
            var (result, error) = Run(condition.Expression, activation, null);
            if (error is null && result is not bool)
            {
                error = $"expression '{condition.Expression.Expression}' resulted in error: expected a bool result, got {result?.GetType().Name ?? "null"}";
            }
            if (error is not null)
            {
                (errors ??= []).Add(error);
            }
            else if (result is false)
            {
                applies = false;
                return null;
            }
        }
        return errors is null ? null : errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors.Distinct()) + "]";
    }

    /// <summary>
    /// Evaluates the variables in order into <c>variables</c> (each may use the ones before it). kube evaluates them
    /// lazily; here one that fails is left out and its error reported by the expressions that use it.
    /// </summary>
    private Dictionary<string, string>? BindVariables(CompiledPolicy policy, Dictionary<string, object?> activation)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        activation["variables"] = values;
        Dictionary<string, string>? errors = null;
        foreach (var variable in policy.Variables)
        {
            var (value, error) = Run(variable.Expression, activation, errors);
            if (error is null)
            {
                values[variable.Name] = value;
            }
            else
            {
                (errors ??= [])[variable.Name] = error;
            }
        }
        return errors;
    }

    private (object? Value, string? Error) Run(PolicyExpression expression, Dictionary<string, object?> activation, Dictionary<string, string>? variableErrors)
    {
        if (expression.Program is null)
        {
            return (null, expression.CompileError);
        }
        try
        {
            return (_cel.Evaluate(expression.Program, activation), null);
        }
        catch (CelExpressionException e)
        {
            // An expression that uses a variable which failed reports that variable's failure.
            string? cause = variableErrors?.FirstOrDefault(v => expression.Expression.Contains("variables." + v.Key, StringComparison.Ordinal)).Value;
            string detail = cause is null ? e.Message : $"composited variable failed: {cause}";
            return (null, $"expression '{expression.Expression}' resulted in error: {detail}");
        }
    }

    private string FailureMessage(PolicyValidation validation, Dictionary<string, object?> activation)
    {
        if (validation.MessageExpression is { } messageExpression)
        {
            var (value, error) = Run(messageExpression, activation, null);
            if (error is null && value is string text)
            {
                text = text.Trim();
                if (text.Length > 0 && !text.Contains('\n', StringComparison.Ordinal) && System.Text.Encoding.UTF8.GetByteCount(text) <= MaxMessageBytes)
                {
                    return text;
                }
            }
        }
        if (!string.IsNullOrWhiteSpace(validation.Message))
        {
            return validation.Message.Trim();
        }
        return $"failed expression: {validation.Rule.Expression.Trim()}";
    }
}
