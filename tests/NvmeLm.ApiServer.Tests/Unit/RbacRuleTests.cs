using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Authorization;

namespace NvmeLm.ApiServer.Tests.Unit;

/// <summary>PolicyRule matching as kube's RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go, evaluation_helpers.go).</summary>
public sealed class RbacRuleTests
{
    private static readonly UserInfo s_user = new("u", "", [SystemUsers.AuthenticatedGroup], UserInfo.NoExtra);

    private static AuthorizationAttributes Resource(string verb, string group, string resource, string subresource = "", string name = "") =>
        new(s_user, verb, true, group, "v1", resource, subresource, "ns", name, "");

    private static AuthorizationAttributes Path(string verb, string path) => new(s_user, verb, false, "", "", "", "", "", "", path);

    public static TheoryData<string, AuthorizationAttributes, bool> Cases => new()
    {
        { """{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}""", Resource("get", "", "pods"), true },
        { """{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}""", Resource("list", "", "pods"), false },
        { """{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}""", Resource("get", "apps", "pods"), false },
        { """{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}""", Resource("deletecollection", "nvmelm.io", "nvmenodes"), true },
        { """{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}""", Resource("patch", "nvmelm.io", "nvmenodes", "status"), true },
        { """{"apiGroups":["nvmelm.io"],"resources":["nvmenodes"],"verbs":["patch"]}""", Resource("patch", "nvmelm.io", "nvmenodes", "status"), false },
        { """{"apiGroups":["nvmelm.io"],"resources":["nvmenodes/status"],"verbs":["patch"]}""", Resource("patch", "nvmelm.io", "nvmenodes", "status"), true },
        { """{"apiGroups":["nvmelm.io"],"resources":["nvmenodes/status"],"verbs":["patch"]}""", Resource("patch", "nvmelm.io", "nvmenodes"), false },
        { """{"apiGroups":["*"],"resources":["*/status"],"verbs":["get"]}""", Resource("get", "", "pods", "status"), true },
        { """{"apiGroups":["*"],"resources":["*/status"],"verbs":["get"]}""", Resource("get", "", "pods"), false },
        { """{"apiGroups":["*"],"resources":["pods/*"],"verbs":["get"]}""", Resource("get", "", "pods", "log"), false },
        { """{"apiGroups":[""],"resources":["serviceaccounts/token"],"verbs":["create"]}""", Resource("create", "", "serviceaccounts", "token", "sa"), true },
        { """{"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"],"verbs":["get","list"]}""", Resource("get", "", "secrets", name: "a"), true },
        { """{"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"],"verbs":["get","list"]}""", Resource("get", "", "secrets", name: "b"), false },
        { """{"apiGroups":[""],"resources":["secrets"],"resourceNames":["a"],"verbs":["get","list"]}""", Resource("list", "", "secrets"), false },
        { """{"nonResourceURLs":["/healthz"],"verbs":["get"]}""", Path("get", "/healthz"), true },
        { """{"nonResourceURLs":["/healthz"],"verbs":["get"]}""", Path("get", "/healthz/etcd"), false },
        { """{"nonResourceURLs":["/apis/*"],"verbs":["get"]}""", Path("get", "/apis/nvmelm.io/v1alpha1"), true },
        { """{"nonResourceURLs":["/apis/*"],"verbs":["get"]}""", Path("get", "/apis"), false },
        { """{"nonResourceURLs":["*"],"verbs":["*"]}""", Path("post", "/anything"), true },
        { """{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}""", Path("get", "/version"), false },
        { """{"nonResourceURLs":["*"],"verbs":["*"]}""", Resource("get", "", "pods"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allows_Should_MatchAsKube(string rule, AuthorizationAttributes request, bool expected)
    {
        Assert.Equal(expected, RbacRule.From((JsonObject)JsonNode.Parse(rule)!).Allows(request));
    }

    [Theory]
    [InlineData("User", "system:serviceaccount:team:agent", "", "", true)]
    [InlineData("ServiceAccount", "agent", "team", "", true)]
    [InlineData("ServiceAccount", "agent", "", "team", true)]
    [InlineData("ServiceAccount", "agent", "", "", false)]
    [InlineData("ServiceAccount", "agent", "other", "", false)]
    [InlineData("Group", "system:serviceaccounts:team", "", "", true)]
    [InlineData("Group", "system:masters", "", "", false)]
    public void Subject_Should_MatchServiceAccountUsersAsKube(string kind, string name, string subjectNamespace, string bindingNamespace, bool expected)
    {
        var user = new UserInfo("system:serviceaccount:team:agent", "", ServiceAccountIdentity.Groups("team"), UserInfo.NoExtra);

        Assert.Equal(expected, new RbacSubject(kind, name, subjectNamespace).AppliesTo(user, bindingNamespace));
    }
}
