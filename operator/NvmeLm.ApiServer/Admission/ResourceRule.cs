using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authorization;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// One <c>resourceRules</c> / <c>excludeResourceRules</c> entry (NamedRuleWithOperations), matched as kube's
/// admission rule matcher does (k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules/rules.go, plus
/// resourceNames from policy/matching/matching.go): operations, apiGroups and apiVersions with <c>*</c>;
/// resources as <c>res</c> (no subresource), <c>res/sub</c>, <c>res/*</c>, <c>*</c> or <c>*/*</c>; scope
/// <c>Cluster</c>, <c>Namespaced</c> or <c>*</c>; and resourceNames (empty: any).
/// </summary>
public sealed class ResourceRule
{
    private readonly string[] _operations;
    private readonly string[] _apiGroups;
    private readonly string[] _apiVersions;
    private readonly (string Resource, string Subresource)[] _resources;
    private readonly string _scope;
    private readonly string[] _resourceNames;

    private ResourceRule(string[] operations, string[] apiGroups, string[] apiVersions, (string, string)[] resources, string scope, string[] resourceNames)
    {
        _operations = operations;
        _apiGroups = apiGroups;
        _apiVersions = apiVersions;
        _resources = resources;
        _scope = scope;
        _resourceNames = resourceNames;
    }

    public static ResourceRule From(JsonObject rule) => new(
        RuleValues.Read(rule["operations"]), RuleValues.Read(rule["apiGroups"]), RuleValues.Read(rule["apiVersions"]),
        RuleValues.Read(rule["resources"]).Select(Split).ToArray(),
        rule["scope"]?.GetValue<string>() ?? "*",
        RuleValues.Read(rule["resourceNames"]));

    public bool Matches(AdmissionAttributes request)
    {
        var type = request.Type;
        return ScopeMatches(request)
            && RuleValues.ExactOrWildcard(_operations, request.OperationName)
            && RuleValues.ExactOrWildcard(_apiGroups, type.Group)
            && RuleValues.ExactOrWildcard(_apiVersions, type.Version)
            && ResourceMatches(type.Plural, request.Subresource)
            && (_resourceNames.Length == 0 || Array.IndexOf(_resourceNames, request.Name) >= 0);
    }

    /// <summary>Namespace objects count as cluster-scoped whatever namespace the request names.</summary>
    private bool ScopeMatches(AdmissionAttributes request)
    {
        bool isNamespace = request.Type.Group.Length == 0 && request.Type.Plural == "namespaces";
        return _scope switch
        {
            "*" => true,
            "Namespaced" => !isNamespace && request.Namespace.Length > 0,
            "Cluster" => isNamespace || request.Namespace.Length == 0,
            _ => false,
        };
    }

    private bool ResourceMatches(string resource, string subresource)
    {
        foreach (var (ruleResource, ruleSubresource) in _resources)
        {
            if ((ruleResource == "*" || ruleResource == resource) && (ruleSubresource == "*" || ruleSubresource == subresource))
            {
                return true;
            }
        }
        return false;
    }

    private static (string, string) Split(string resource)
    {
        int slash = resource.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (resource, "") : (resource[..slash], resource[(slash + 1)..]);
    }
}
