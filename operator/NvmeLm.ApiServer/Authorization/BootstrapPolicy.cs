using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start when RBAC is on
/// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), those that decide what a fresh cluster allows:
/// <c>cluster-admin</c> for <c>system:masters</c>; <c>system:discovery</c> (discovery, OpenAPI, health, version)
/// and <c>system:basic-user</c> (self access reviews, whoami) for every authenticated user; and
/// <c>system:public-info-viewer</c> (health, version) for everyone, anonymous included. So kubectl and helm can
/// discover the API with any identity, and everything else needs a grant. (The aggregated admin/edit/view
/// roles and the controllers' roles are not created.)
/// </summary>
public static class BootstrapPolicy
{
    public static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return ClusterRole("cluster-admin",
            new JsonObject { ["apiGroups"] = Strings("*"), ["resources"] = Strings("*"), ["verbs"] = Strings("*") },
            new JsonObject { ["nonResourceURLs"] = Strings("*"), ["verbs"] = Strings("*") });
        yield return ClusterRole("system:discovery", new JsonObject
        {
            ["nonResourceURLs"] = Strings("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"),
            ["verbs"] = Strings("get"),
        });
        yield return ClusterRole("system:basic-user",
            new JsonObject
            {
                ["apiGroups"] = Strings("authorization.k8s.io"),
                ["resources"] = Strings("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                ["verbs"] = Strings("create"),
            },
            new JsonObject { ["apiGroups"] = Strings("authentication.k8s.io"), ["resources"] = Strings("selfsubjectreviews"), ["verbs"] = Strings("create") });
        yield return ClusterRole("system:public-info-viewer", new JsonObject
        {
            ["nonResourceURLs"] = Strings("/healthz", "/livez", "/readyz", "/version", "/version/"),
            ["verbs"] = Strings("get"),
        });
    }

    public static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", SystemUsers.MastersGroup);
        yield return Binding("system:discovery", SystemUsers.AuthenticatedGroup);
        yield return Binding("system:basic-user", SystemUsers.AuthenticatedGroup);
        yield return Binding("system:public-info-viewer", SystemUsers.AuthenticatedGroup, SystemUsers.UnauthenticatedGroup);
    }

    private static JsonObject ClusterRole(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = $"{RbacPolicy.Group}/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray(rules),
    };

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = $"{RbacPolicy.Group}/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacPolicy.Group, ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject { ["apiGroup"] = RbacPolicy.Group, ["kind"] = "Group", ["name"] = g }).ToArray()),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
