using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// The stored RBAC objects read into rules, and the decision kube's RBAC authorizer makes from them
/// (plugin/pkg/auth/authorizer/rbac/rbac.go with pkg/registry/rbac/validation/rule.go VisitRulesFor): the
/// ClusterRoleBindings' roles anywhere, then the RoleBindings of the request's namespace; the first rule that
/// allows wins; a binding whose role is missing adds an error to the reason of a denial. Aggregated
/// ClusterRoles (<c>aggregationRule</c>) count with the rules stored in them; nothing here aggregates them.
/// </summary>
public sealed class RbacPolicy
{
    public const string Group = "rbac.authorization.k8s.io";

    public static readonly StorageKey Roles = new(Group, "roles");
    public static readonly StorageKey ClusterRoles = new(Group, "clusterroles");
    public static readonly StorageKey RoleBindings = new(Group, "rolebindings");
    public static readonly StorageKey ClusterRoleBindings = new(Group, "clusterrolebindings");

    public static IReadOnlyList<StorageKey> Collections { get; } = [Roles, ClusterRoles, RoleBindings, ClusterRoleBindings];

    private readonly Dictionary<string, IReadOnlyList<RbacRule>> _clusterRoles;
    private readonly Dictionary<ObjectName, IReadOnlyList<RbacRule>> _roles;
    private readonly IReadOnlyList<RbacBinding> _clusterRoleBindings;
    private readonly Dictionary<string, List<RbacBinding>> _roleBindings;

    private RbacPolicy(Dictionary<string, IReadOnlyList<RbacRule>> clusterRoles, Dictionary<ObjectName, IReadOnlyList<RbacRule>> roles,
        IReadOnlyList<RbacBinding> clusterRoleBindings, Dictionary<string, List<RbacBinding>> roleBindings)
    {
        _clusterRoles = clusterRoles;
        _roles = roles;
        _clusterRoleBindings = clusterRoleBindings;
        _roleBindings = roleBindings;
    }

    public static RbacPolicy Read(ObjectStore store)
    {
        var clusterRoles = store.List(ClusterRoles, null).Items.ToDictionary(Name, RbacRule.Of, StringComparer.Ordinal);
        var roles = store.List(Roles, null).Items.ToDictionary(o => new ObjectName(Namespace(o), Name(o)), RbacRule.Of);
        var clusterRoleBindings = store.List(ClusterRoleBindings, null).Items.Select(RbacBinding.From).ToList();
        var roleBindings = store.List(RoleBindings, null).Items.Select(RbacBinding.From)
            .GroupBy(b => b.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return new RbacPolicy(clusterRoles, roles, clusterRoleBindings, roleBindings);
    }

    public AuthorizationDecision Authorize(AuthorizationAttributes request)
    {
        List<string>? errors = null;
        if (Visit(_clusterRoleBindings, request, ref errors) is string allowedByCluster)
        {
            return AuthorizationDecision.Allow(allowedByCluster);
        }
        if (request.Namespace.Length > 0 && _roleBindings.TryGetValue(request.Namespace, out var bindings)
            && Visit(bindings, request, ref errors) is string allowedByNamespace)
        {
            return AuthorizationDecision.Allow(allowedByNamespace);
        }
        return AuthorizationDecision.NoOpinion(errors is null ? "" : "RBAC: " + Aggregate(errors));
    }

    /// <summary>The reason of the first binding whose rules allow <paramref name="request"/>, or null.</summary>
    private string? Visit(IReadOnlyList<RbacBinding> bindings, AuthorizationAttributes request, ref List<string>? errors)
    {
        foreach (var binding in bindings)
        {
            if (binding.SubjectFor(request.User) is not { } subject)
            {
                continue;
            }
            if (!TryResolve(binding, out var rules, out string? error))
            {
                (errors ??= []).Add(error!);
                continue;
            }
            foreach (var rule in rules)
            {
                if (rule.Allows(request))
                {
                    return "RBAC: allowed by " + binding.Describe(subject);
                }
            }
        }
        return null;
    }

    /// <summary>kube's GetRoleReferenceRules, with the lister's NotFound messages.</summary>
    private bool TryResolve(RbacBinding binding, out IReadOnlyList<RbacRule> rules, out string? error)
    {
        error = null;
        bool found;
        switch (binding.RoleKind)
        {
            case "ClusterRole":
                found = _clusterRoles.TryGetValue(binding.RoleName, out rules!);
                error = found ? null : $"clusterrole.{Group} \"{binding.RoleName}\" not found";
                return found;
            case "Role":
                // A ClusterRoleBinding cannot reach a Role: kube's lister finds none without a namespace.
                rules = [];
                found = binding.Namespace.Length > 0 && _roles.TryGetValue(new ObjectName(binding.Namespace, binding.RoleName), out rules!);
                error = found ? null : $"role.{Group} \"{binding.RoleName}\" not found";
                return found;
            default:
                rules = [];
                error = $"unsupported role reference kind: \"{binding.RoleKind}\"";
                return false;
        }
    }

    /// <summary>apimachinery's error aggregate: one message as is, several de-duplicated in brackets.</summary>
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    private static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static string Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";
}
