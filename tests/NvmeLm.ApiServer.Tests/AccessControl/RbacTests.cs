using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.AccessControl;

/// <summary>RBAC over the stored roles and bindings: what is allowed, and kube's exact Forbidden Status for what is not.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RbacTests
{
    [Fact]
    public async Task NamespacedRead_Should_BeAllowedOnlyWhereARoleBindingGrantsIt()
    {
        await using var server = await AccessControlSetup.StartAsync();
        await AccessControlSetup.ApplyAsync(server, AccessControlSetup.AliceReadsTeamSecrets);
        await AccessControlSetup.ApplyAsync(server, "apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: team }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: default }");
        using var alice = HttpHelpers.Client(server, "alice");

        var (allowed, _) = await HttpHelpers.SendAsync(alice, HttpMethod.Get, "/api/v1/namespaces/team/secrets/s");
        var (otherNamespace, denied) = await HttpHelpers.SendAsync(alice, HttpMethod.Get, "/api/v1/namespaces/default/secrets/s");
        var (list, listDenied) = await HttpHelpers.SendAsync(alice, HttpMethod.Get, "/api/v1/namespaces/team/secrets");

        Assert.Equal(200, allowed);
        Assert.Equal(403, otherNamespace);
        AssertJson("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"s\" is forbidden: User \"alice\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"","reason":"Forbidden","details":{"name":"s","kind":"secrets"},"code":403}""",
            denied);
        Assert.Equal(403, list);
        Assert.Equal("secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team\"", Message(listDenied));
    }

    [Fact]
    public async Task ClusterScopedResourcesAndSubresources_Should_NameTheClusterScopeAndTheSubresource()
    {
        await using var server = await AccessControlSetup.StartAsync();
        await AccessControlSetup.InstallNvmeNodesAsync(server, "node-a");
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: { name: status-writer }
            rules:
              - apiGroups: [nvmelm.io]
                resources: [nvmenodes]
                verbs: [get]
              - apiGroups: [nvmelm.io]
                resources: [nvmenodes/status]
                verbs: [patch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: { name: writer }
            roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-writer }
            subjects:
              - { kind: User, name: writer }
            """);
        using var writer = HttpHelpers.Client(server, "writer");
        var patch = JsonNode.Parse("""{"status":{"pfCount":1}}""");

        var (status, _) = await HttpHelpers.SendAsync(writer, HttpMethod.Patch, "/apis/nvmelm.io/v1alpha1/nvmenodes/node-a/status", patch, "application/merge-patch+json");
        var (main, mainDenied) = await HttpHelpers.SendAsync(writer, HttpMethod.Patch, "/apis/nvmelm.io/v1alpha1/nvmenodes/node-a", patch, "application/merge-patch+json");
        var (nodes, nodesDenied) = await HttpHelpers.SendAsync(writer, HttpMethod.Get, "/api/v1/nodes/n1");
        var (statusRead, statusReadDenied) = await HttpHelpers.SendAsync(writer, HttpMethod.Get, "/apis/nvmelm.io/v1alpha1/nvmenodes/node-a/status");

        Assert.Equal(200, status);
        Assert.Equal(403, main);
        Assert.Equal("nvmenodes.nvmelm.io \"node-a\" is forbidden: User \"writer\" cannot patch resource \"nvmenodes\" in API group \"nvmelm.io\" at the cluster scope", Message(mainDenied));
        AssertJson("""{"name":"node-a","group":"nvmelm.io","kind":"nvmenodes"}""", mainDenied["details"]);
        Assert.Equal(403, nodes);
        Assert.Equal("nodes \"n1\" is forbidden: User \"writer\" cannot get resource \"nodes\" in API group \"\" at the cluster scope", Message(nodesDenied));
        Assert.Equal(403, statusRead);
        Assert.Equal("nvmenodes.nvmelm.io \"node-a\" is forbidden: User \"writer\" cannot get resource \"nvmenodes/status\" in API group \"nvmelm.io\" at the cluster scope", Message(statusReadDenied));
    }

    [Fact]
    public async Task ResourceNames_Should_AllowNamedObjects_AndListsOrWatchesPinnedToThemByFieldSelector()
    {
        await using var server = await AccessControlSetup.StartAsync();
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: mine, namespace: default }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: theirs, namespace: default }
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: { name: one-configmap }
            rules:
              - apiGroups: [""]
                resources: [configmaps]
                resourceNames: [mine]
                verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: { name: one-configmap, namespace: default }
            roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: one-configmap }
            subjects:
              - { kind: User, name: bob }
            """);
        using var bob = HttpHelpers.Client(server, "bob");

        var (named, _) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/mine");
        var (other, otherDenied) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/theirs");
        var (list, listDenied) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/configmaps");
        var (pinned, pinnedList) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dmine");
        var (pinnedOther, _) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dtheirs");
        var (inOtherNamespace, _) = await HttpHelpers.SendAsync(bob, HttpMethod.Get, "/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dmine");

        Assert.Equal(200, named);
        Assert.Equal(403, other);
        Assert.Equal("configmaps \"theirs\" is forbidden: User \"bob\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"", Message(otherDenied));
        Assert.Equal(403, list);
        Assert.Equal("configmaps is forbidden: User \"bob\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"", Message(listDenied));
        Assert.Equal(200, pinned);
        Assert.Equal("mine", Assert.Single(pinnedList["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(403, pinnedOther);
        Assert.Equal(403, inOtherNamespace);
    }

    [Fact]
    public async Task Wildcards_Should_MatchVerbsGroupsAndSubresources_AsKubeMatchesThem()
    {
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            Authorization = Authorization.AuthorizationMode.Rbac,
            IdentityGroups = new Dictionary<string, IReadOnlyList<string>> { ["admin"] = ["system:masters"], ["carol"] = ["status-team"] },
        });
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: v1
            kind: Namespace
            metadata: { name: x }
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: { name: status-everywhere }
            rules:
              - apiGroups: ["*"]
                resources: ["*/status"]
                verbs: ["*"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: { name: status-everywhere }
            roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-everywhere }
            subjects:
              - { kind: Group, name: status-team }
            """);
        using var carol = HttpHelpers.Client(server, "carol");
        using var dave = HttpHelpers.Client(server, "dave");

        var (carolStatus, _) = await HttpHelpers.SendAsync(carol, HttpMethod.Get, "/api/v1/namespaces/x/status");
        var (carolMain, carolMainDenied) = await HttpHelpers.SendAsync(carol, HttpMethod.Get, "/api/v1/namespaces/x");
        var (daveStatus, _) = await HttpHelpers.SendAsync(dave, HttpMethod.Get, "/api/v1/namespaces/x/status");
        var (daveDeleteCollection, deleteDenied) = await HttpHelpers.SendAsync(dave, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps");

        Assert.Equal(200, carolStatus);
        Assert.Equal(403, carolMain);
        Assert.Equal("namespaces \"x\" is forbidden: User \"carol\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"x\"", Message(carolMainDenied));
        Assert.Equal(403, daveStatus);
        Assert.Equal(403, daveDeleteCollection);
        Assert.Equal("configmaps is forbidden: User \"dave\" cannot deletecollection resource \"configmaps\" in API group \"\" in the namespace \"default\"", Message(deleteDenied));
    }

    [Fact]
    public async Task ServiceAccountSubjects_Should_MatchTheirTokens_AndNamespacesAreTheirOwnNamespace()
    {
        await using var server = await AccessControlSetup.StartAsync();
        string token = await AccessControlSetup.PodTokenAsync(server, "team", "reader", "reader-pod", "node-a");
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: { name: read-namespace, namespace: team }
            rules:
              - apiGroups: [""]
                resources: [namespaces, configmaps]
                verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: { name: reader, namespace: team }
            roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-namespace }
            subjects:
              - { kind: ServiceAccount, name: reader }
            """);
        using var reader = HttpHelpers.Client(server, token);

        var (own, _) = await HttpHelpers.SendAsync(reader, HttpMethod.Get, "/api/v1/namespaces/team");
        var (configMaps, _) = await HttpHelpers.SendAsync(reader, HttpMethod.Get, "/api/v1/namespaces/team/configmaps");
        var (other, denied) = await HttpHelpers.SendAsync(reader, HttpMethod.Get, "/api/v1/namespaces/default");

        Assert.Equal(200, own);
        Assert.Equal(200, configMaps);
        Assert.Equal(403, other);
        Assert.Equal("namespaces \"default\" is forbidden: User \"system:serviceaccount:team:reader\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"default\"", Message(denied));
    }

    [Fact]
    public async Task NonResourceUrls_Should_FollowTheDefaultDiscoveryAndPublicInfoBindings()
    {
        await using var server = await AccessControlSetup.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        using var alice = HttpHelpers.Client(server, "alice");

        using var version = await anonymous.GetAsync("/version");
        using var healthz = await anonymous.GetAsync("/healthz");
        var (api, apiDenied) = await HttpHelpers.SendAsync(anonymous, HttpMethod.Get, "/api");
        var (discovery, _) = await HttpHelpers.SendAsync(alice, HttpMethod.Get, "/apis");
        using var openApi = await alice.GetAsync("/openapi/v3");
        var (metrics, metricsDenied) = await HttpHelpers.SendAsync(alice, HttpMethod.Get, "/metrics");

        Assert.Equal(200, (int)version.StatusCode);
        Assert.Equal(200, (int)healthz.StatusCode);
        Assert.Equal(403, api);
        AssertJson("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"system:anonymous\" cannot get path \"/api\"","reason":"Forbidden","details":{},"code":403}""",
            apiDenied);
        Assert.Equal(200, discovery);
        Assert.Equal(200, (int)openApi.StatusCode);
        Assert.Equal(403, metrics);
        Assert.Equal("forbidden: User \"alice\" cannot get path \"/metrics\"", Message(metricsDenied));
    }

    [Fact]
    public async Task BindingChanges_Should_TakeEffectForTheNextRequest_AndAMissingRoleIsTheReason()
    {
        await using var server = await AccessControlSetup.StartAsync();
        using var admin = server.CreateClient();
        using var erin = HttpHelpers.Client(server, "erin");
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new() { Name = "erin" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view-pods" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = "erin" }],
        };

        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding);
        var (beforeRole, missingRole) = await HttpHelpers.SendAsync(erin, HttpMethod.Get, "/api/v1/pods");
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new() { Name = "view-pods" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["list"] }],
        });
        var (withRole, _) = await HttpHelpers.SendAsync(erin, HttpMethod.Get, "/api/v1/pods");
        await admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync("erin");
        var (afterUnbinding, _) = await HttpHelpers.SendAsync(erin, HttpMethod.Get, "/api/v1/pods");

        Assert.Equal(403, beforeRole);
        Assert.Equal("pods is forbidden: User \"erin\" cannot list resource \"pods\" in API group \"\" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io \"view-pods\" not found",
            Message(missingRole));
        Assert.Equal(200, withRole);
        Assert.Equal(403, afterUnbinding);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_Should_AnswerWhatRbacDecides_WithTheAllowingBinding()
    {
        await using var server = await AccessControlSetup.StartAsync();
        await AccessControlSetup.ApplyAsync(server, AccessControlSetup.AliceReadsTeamSecrets);
        using var alice = server.CreateClient("alice");
        V1SelfSubjectAccessReview Ask(string ns, string verb) => new()
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = ns, Verb = verb, Resource = "secrets" } },
        };

        var allowed = await alice.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Ask("team", "get"));
        var denied = await alice.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Ask("team", "delete"));

        Assert.True(allowed.Status.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"alice-reads-secrets/team\" of Role \"secret-reader\" to User \"alice\"", allowed.Status.Reason);
        Assert.False(denied.Status.Allowed);
    }

    private static string? Message(JsonObject status) => status["message"]?.GetValue<string>();

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");
}
