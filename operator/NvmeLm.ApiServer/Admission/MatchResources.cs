using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Selectors;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// A policy's <c>matchConstraints</c> or a binding's <c>matchResources</c>, matched as kube's policy matcher does
/// (k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go): the namespace selector (cluster-scoped
/// objects other than namespaces always pass; a namespace is matched by its own labels), the object selector
/// (on the new or the old object), no excluding rule, and — when there are resource rules — one of them.
/// <c>matchPolicy: Equivalent</c> adds nothing here: every resource is served in one version.
/// </summary>
public sealed class MatchResources
{
    private readonly LabelSelector _namespaceSelector;
    private readonly LabelSelector _objectSelector;
    private readonly IReadOnlyList<ResourceRule> _rules;
    private readonly IReadOnlyList<ResourceRule> _excluded;

    private MatchResources(LabelSelector namespaceSelector, LabelSelector objectSelector, IReadOnlyList<ResourceRule> rules, IReadOnlyList<ResourceRule> excluded)
    {
        _namespaceSelector = namespaceSelector;
        _objectSelector = objectSelector;
        _rules = rules;
        _excluded = excluded;
    }

    /// <summary>Reads the object; a malformed selector throws ApiException (a configuration error of its policy or binding).</summary>
    public static MatchResources From(JsonObject match) => new(
        LabelSelectorObject.Parse(match["namespaceSelector"]),
        LabelSelectorObject.Parse(match["objectSelector"]),
        Rules(match["resourceRules"]),
        Rules(match["excludeResourceRules"]));

    /// <param name="namespaceObject">The request's namespace (for a namespace itself: the namespace object), or null.</param>
    public bool Matches(AdmissionAttributes request, JsonObject? namespaceObject)
    {
        bool isNamespace = request.Type.Group.Length == 0 && request.Type.Plural == "namespaces";
        if (!_namespaceSelector.IsEmpty && (request.Namespace.Length > 0 || isNamespace)
            && !_namespaceSelector.Matches(namespaceObject ?? new JsonObject()))
        {
            return false;
        }
        if (!_objectSelector.IsEmpty
            && !(request.Object is not null && _objectSelector.Matches(request.Object))
            && !(request.OldObject is not null && _objectSelector.Matches(request.OldObject)))
        {
            return false;
        }
        if (_excluded.Any(rule => rule.Matches(request)))
        {
            return false;
        }
        return _rules.Count == 0 || _rules.Any(rule => rule.Matches(request));
    }

    private static IReadOnlyList<ResourceRule> Rules(JsonNode? rules) =>
        (rules as JsonArray)?.OfType<JsonObject>().Select(ResourceRule.From).ToList() ?? [];
}
