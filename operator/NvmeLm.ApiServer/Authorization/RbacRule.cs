using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// One PolicyRule of a Role or ClusterRole, matched as kube's RBAC authorizer matches it
/// (plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows, pkg/apis/rbac/v1/evaluation_helpers.go): verbs and
/// API groups with <c>*</c>; resources as <c>res</c>, <c>res/sub</c>, <c>*</c> or <c>*/sub</c>; resourceNames
/// (empty: any; otherwise the request must name one — a create or an unfiltered list names none); and
/// nonResourceURLs, exact or with a trailing <c>*</c> prefix.
/// </summary>
public sealed class RbacRule
{
    private readonly string[] _verbs;
    private readonly string[] _apiGroups;
    private readonly string[] _resources;
    private readonly string[] _resourceNames;
    private readonly string[] _nonResourceUrls;

    private RbacRule(string[] verbs, string[] apiGroups, string[] resources, string[] resourceNames, string[] nonResourceUrls)
    {
        _verbs = verbs;
        _apiGroups = apiGroups;
        _resources = resources;
        _resourceNames = resourceNames;
        _nonResourceUrls = nonResourceUrls;
    }

    public static RbacRule From(JsonObject rule) => new(
        RuleValues.Read(rule["verbs"]), RuleValues.Read(rule["apiGroups"]), RuleValues.Read(rule["resources"]),
        RuleValues.Read(rule["resourceNames"]), RuleValues.Read(rule["nonResourceURLs"]));

    /// <summary>The rules of a Role or ClusterRole object (its <c>rules</c> array).</summary>
    public static IReadOnlyList<RbacRule> Of(JsonObject role) =>
        (role["rules"] as JsonArray)?.OfType<JsonObject>().Select(From).ToList() ?? [];

    public bool Allows(AuthorizationAttributes request)
    {
        if (!RuleValues.ExactOrWildcard(_verbs, request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(request.Path);
        }
        return RuleValues.ExactOrWildcard(_apiGroups, request.ApiGroup)
            && ResourceMatches(request.Resource, request.Subresource)
            && (_resourceNames.Length == 0 || Array.IndexOf(_resourceNames, request.Name) >= 0);
    }

    private bool ResourceMatches(string resource, string subresource)
    {
        foreach (string rule in _resources)
        {
            if (rule == "*")
            {
                return true;
            }
            if (subresource.Length == 0)
            {
                if (rule == resource)
                {
                    return true;
                }
                continue;
            }
            // "res/sub" exactly, or "*/sub".
            int slash = rule.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && rule.AsSpan(slash + 1).SequenceEqual(subresource)
                && (rule.AsSpan(0, slash).SequenceEqual(resource) || (slash == 1 && rule[0] == '*')))
            {
                return true;
            }
        }
        return false;
    }

    private bool NonResourceUrlMatches(string path)
    {
        foreach (string url in _nonResourceUrls)
        {
            if (url == "*" || url == path || (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}
