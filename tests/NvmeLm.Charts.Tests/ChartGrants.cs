using k8s.Models;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// What the chart's RBAC grants one service account: the rules of the ClusterRoles bound to it cluster-wide, and of
/// the Roles bound to it in their namespace — evaluated as the RBAC authorizer does for resource requests
/// (group, resource or resource/subresource, verb; a Role only inside its namespace).
/// </summary>
internal sealed class ChartGrants
{
    private readonly List<V1PolicyRule> _clusterRules;
    private readonly List<(string Namespace, V1PolicyRule Rule)> _namespacedRules;

    private ChartGrants(List<V1PolicyRule> clusterRules, List<(string, V1PolicyRule)> namespacedRules)
    {
        _clusterRules = clusterRules;
        _namespacedRules = namespacedRules;
    }

    public static ChartGrants For(IReadOnlyList<object> rendered, string serviceAccount)
    {
        bool Binds(IEnumerable<Rbacv1Subject> subjects) => subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccount);
        var clusterRoles = rendered.OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        var roles = rendered.OfType<V1Role>().ToDictionary(r => (r.Metadata.NamespaceProperty, r.Metadata.Name));
        var cluster = rendered.OfType<V1ClusterRoleBinding>().Where(b => Binds(b.Subjects))
            .SelectMany(b => clusterRoles[b.RoleRef.Name].Rules).ToList();
        var namespaced = rendered.OfType<V1RoleBinding>().Where(b => Binds(b.Subjects))
            .SelectMany(b => (b.RoleRef.Kind == "ClusterRole" ? clusterRoles[b.RoleRef.Name].Rules : roles[(b.Metadata.NamespaceProperty, b.RoleRef.Name)].Rules)
                .Select(rule => (b.Metadata.NamespaceProperty, rule)))
            .ToList();
        return new ChartGrants(cluster, namespaced);
    }

    /// <summary>Whether a request is allowed; <paramref name="ns"/> null for cluster-scoped objects and all-namespace lists.</summary>
    public bool Allows(string group, string resource, string verb, string? ns) =>
        _clusterRules.Any(rule => Matches(rule, group, resource, verb))
        || (ns is not null && _namespacedRules.Any(r => r.Namespace == ns && Matches(r.Rule, group, resource, verb)));

    private static bool Matches(V1PolicyRule rule, string group, string resource, string verb) =>
        rule.ApiGroups.Contains(group) && rule.Resources.Contains(resource) && rule.Verbs.Contains(verb);
}
