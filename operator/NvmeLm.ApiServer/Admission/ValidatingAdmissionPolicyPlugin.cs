using System.Text.Json;
using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Cel;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// The ValidatingAdmissionPolicy admission plugin (k8s.io/apiserver/pkg/admission/plugin/policy/validating
/// dispatcher.go): for a write, every bound policy whose matchConstraints match, for each of its bindings whose
/// matchResources match, is evaluated (<see cref="PolicyEvaluator"/>); each failed validation does what the
/// binding's validationActions say — Deny collects a denial (the first one answers, <see cref="PolicyDenial"/>),
/// Warn adds a <c>Warning</c> header, Audit records an annotation in <see cref="Audit"/>. A policy or binding
/// that cannot be used as configured denies the requests it matches unless its failurePolicy is Ignore. Policies
/// and bindings are compiled when they change (<see cref="DerivedView{T}"/>), and the policy objects themselves
/// are checked when written (<see cref="PolicyObjectValidator"/>).
/// </summary>
public sealed class ValidatingAdmissionPolicyPlugin : IAdmissionValidator, IDisposable
{
    private const string ValidationFailureKey = "validation.policy.admission.k8s.io/validation_failure";

    private static readonly StorageKey s_namespaces = new("", "namespaces");

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly DerivedView<AdmissionPolicySet> _policies;
    private readonly PolicyEvaluator _evaluator;
    private readonly PolicyObjectValidator _objects;

    public ValidatingAdmissionPolicyPlugin(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        var cel = new KubeCelEnvironment();
        _evaluator = new PolicyEvaluator(cel);
        _objects = new PolicyObjectValidator(cel);
        _policies = new DerivedView<AdmissionPolicySet>(store, [AdmissionPolicySet.Policies, AdmissionPolicySet.Bindings], s => AdmissionPolicySet.Read(s, cel));
    }

    public PolicyAuditLog Audit { get; } = new();

    public IReadOnlyList<string> Validate(AdmissionAttributes request)
    {
        if (PolicyObjectValidator.Applies(request))
        {
            _objects.Validate(request);
        }
        var bound = _policies.Current.Bound;
        if (bound.Count == 0)
        {
            return [];
        }
        var namespaceObject = NamespaceOf(request);
        RequestCelValues? celValues = null;
        (string Policy, string? Binding, PolicyDecision Decision)? denied = null;
        List<string>? warnings = null;
        foreach (var (policy, bindings) in bound)
        {
            if (!policy.Constraints.Matches(request, namespaceObject))
            {
                continue;
            }
            if (policy.ConfigurationError is string policyError)
            {
                if (!policy.IgnoreFailures)
                {
                    denied ??= (policy.Name, null, new PolicyDecision(-1, $"failed to configure policy: {policyError}", "Invalid"));
                }
                continue;
            }
            PolicyEvaluation? evaluation = null;
            var annotations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var binding in bindings)
            {
                if (binding.ConfigurationError is string bindingError)
                {
                    if (!policy.IgnoreFailures)
                    {
                        denied ??= (policy.Name, binding.Name, new PolicyDecision(-1, $"failed to configure binding: {bindingError}", "Invalid"));
                    }
                    continue;
                }
                if (binding.MatchResources is { } match && !match.Matches(request, namespaceObject))
                {
                    continue;
                }
                // Without parameters a policy evaluates the same for every binding: once per request is enough.
                evaluation ??= _evaluator.Evaluate(policy, celValues ??= new RequestCelValues(request, namespaceObject));
                foreach (var failure in evaluation.Failures)
                {
                    foreach (string action in binding.ValidationActions)
                    {
                        switch (action)
                        {
                            case "Deny":
                                denied ??= (policy.Name, binding.Name, failure);
                                break;
                            case "Warn":
                                (warnings ??= []).Add($"Validation failed for ValidatingAdmissionPolicy '{policy.Name}' with binding '{binding.Name}': {failure.Message}");
                                break;
                            case "Audit":
                                Record(request, ValidationFailureKey, ValidationFailure(policy.Name, binding, failure));
                                break;
                        }
                    }
                }
                foreach (var annotation in evaluation.Annotations)
                {
                    var values = annotations.TryGetValue(annotation.Key, out var list) ? list : annotations[annotation.Key] = [];
                    if (!values.Contains(annotation.Value))
                    {
                        values.Add(annotation.Value);
                    }
                }
            }
            foreach (var (key, values) in annotations)
            {
                Record(request, $"{policy.Name}/{key}", string.Join(", ", values));
            }
        }
        if (denied is { } denial)
        {
            throw PolicyDenial.For(request, denial.Policy, denial.Binding, denial.Decision);
        }
        return warnings ?? (IReadOnlyList<string>)[];
    }

    public void Dispose() => _policies.Dispose();

    /// <summary>The request's namespace object; for a namespace itself, the namespace (as written, or as it was for a delete).</summary>
    private JsonObject? NamespaceOf(AdmissionAttributes request)
    {
        if (request.Type.Group.Length == 0 && request.Type.Plural == "namespaces")
        {
            return request.Object ?? request.OldObject;
        }
        return request.Namespace.Length == 0 ? null : _store.Get(s_namespaces, new ObjectName("", request.Namespace));
    }

    private void Record(AdmissionAttributes request, string key, string value) => Audit.Add(new PolicyAuditRecord(
        _time.GetUtcNow(), request.User.Name, request.OperationName, request.Type.QualifiedResource, request.Subresource,
        request.Namespace, request.Name, key, value));

    /// <summary>The JSON list kube writes under the validation_failure key.</summary>
    private static string ValidationFailure(string policy, CompiledBinding binding, PolicyDecision failure) =>
        new JsonArray(new JsonObject
        {
            ["message"] = failure.Message,
            ["policy"] = policy,
            ["binding"] = binding.Name,
            ["expressionIndex"] = failure.ExpressionIndex,
            ["validationActions"] = new JsonArray(binding.ValidationActions.Select(a => (JsonNode?)a).ToArray()),
        }).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
