using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.AccessControl;

/// <summary>
/// Issue 13's negative tests: a node agent's service-account token, requested for its pod on node A, under RBAC
/// and the node-ownership admission policy — the agent may write the status of node A's NvmeNode only, and may
/// read only the Secrets its Role grants.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AgentIdentityTests
{
    private const string AgentAccess = """
        apiVersion: v1
        kind: Namespace
        metadata: { name: nvme-lm }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: nvme-lm-agent }
        rules:
          - apiGroups: [nvmelm.io]
            resources: [nvmenodes]
            verbs: [get, list, watch, create]
          - apiGroups: [nvmelm.io]
            resources: [nvmenodes/status]
            verbs: [get, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: { name: nvme-lm-agent }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: nvme-lm-agent }
        subjects:
          - { kind: ServiceAccount, name: nvme-lm-agent, namespace: nvme-lm }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: nvme-lm-agent-secrets, namespace: nvme-lm }
        rules:
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: nvme-lm-agent-secrets, namespace: nvme-lm }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: nvme-lm-agent-secrets }
        subjects:
          - { kind: ServiceAccount, name: nvme-lm-agent }
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: { name: nvme-lm-agent-own-node }
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [nvmelm.io]
                apiVersions: ["*"]
                operations: [CREATE, UPDATE, DELETE]
                resources: [nvmenodes, nvmenodes/status]
          matchConditions:
            - name: agent-service-account
              expression: "request.userInfo.username == 'system:serviceaccount:nvme-lm:nvme-lm-agent'"
          variables:
            - name: nodeName
              expression: "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')"
            - name: target
              expression: "request.operation == 'DELETE' ? oldObject.metadata.name : object.metadata.name"
          validations:
            - expression: "variables.nodeName != '' && variables.target == variables.nodeName"
              messageExpression: "variables.nodeName == '' ? 'the agent token has no node-name claim' : 'agent of node ' + variables.nodeName + ' may not change NvmeNode ' + variables.target"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: { name: nvme-lm-agent-own-node }
        spec:
          policyName: nvme-lm-agent-own-node
          validationActions: [Deny]
        """;

    private static readonly JsonNode s_statusPatch = JsonNode.Parse("""{"status":{"pfCount":1}}""")!;

    [Fact]
    public async Task Agent_Should_PatchOnlyItsOwnNodesNvmeNodeStatus()
    {
        await using var server = await AccessControlSetup.StartAsync(admissionPolicies: true);
        await AccessControlSetup.InstallNvmeNodesAsync(server, "node-a", "node-b");
        await AccessControlSetup.ApplyAsync(server, AgentAccess);
        string token = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "nvme-lm-agent", "agent-on-a", "node-a");
        using var agent = HttpHelpers.Client(server, token);

        var (own, ownNode) = await PatchStatusAsync(agent, "node-a");
        var (other, denied) = await PatchStatusAsync(agent, "node-b");
        var (spec, specDenied) = await HttpHelpers.SendAsync(agent, HttpMethod.Patch, "/apis/nvmelm.io/v1alpha1/nvmenodes/node-a",
            JsonNode.Parse("""{"metadata":{"labels":{"x":"y"}}}"""), "application/merge-patch+json");

        Assert.Equal(200, own);
        Assert.Equal(1, ownNode["status"]?["pfCount"]?.GetValue<int>());
        Assert.Equal(422, other);
        Assert.Equal("Invalid", denied["reason"]?.GetValue<string>());
        Assert.Equal("nvmenodes.nvmelm.io \"node-b\" is forbidden: ValidatingAdmissionPolicy 'nvme-lm-agent-own-node' with binding 'nvme-lm-agent-own-node' denied request: agent of node node-a may not change NvmeNode node-b",
            denied["message"]?.GetValue<string>());
        Assert.Null((await server.CreateClient().CustomObjects.GetClusterCustomObjectAsync<JsonObject>("nvmelm.io", "v1alpha1", "nvmenodes", "node-b"))["status"]);
        Assert.Equal(403, spec);
        Assert.Equal("nvmenodes.nvmelm.io \"node-a\" is forbidden: User \"system:serviceaccount:nvme-lm:nvme-lm-agent\" cannot patch resource \"nvmenodes\" in API group \"nvmelm.io\" at the cluster scope",
            specDenied["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task AgentTokenWithoutNodeClaim_Should_BeDeniedByThePolicy()
    {
        await using var server = await AccessControlSetup.StartAsync(admissionPolicies: true);
        await AccessControlSetup.InstallNvmeNodesAsync(server, "node-a");
        await AccessControlSetup.ApplyAsync(server, AgentAccess);
        using var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "nvme-lm-agent" } }, "nvme-lm");
        var unbound = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "nvme-lm-agent", "nvme-lm");
        using var agent = HttpHelpers.Client(server, unbound.Status.Token);

        var (code, denied) = await PatchStatusAsync(agent, "node-a");

        Assert.Equal(422, code);
        Assert.EndsWith("denied request: the agent token has no node-name claim", denied["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task Agent_Should_Get403_When_ReadingASecretOutsideItsGrant()
    {
        await using var server = await AccessControlSetup.StartAsync(admissionPolicies: true);
        await AccessControlSetup.ApplyAsync(server, AgentAccess);
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: v1
            kind: Secret
            metadata: { name: migration-state, namespace: nvme-lm }
            ---
            apiVersion: v1
            kind: Secret
            metadata: { name: database-password, namespace: default }
            """);
        string token = await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "nvme-lm-agent", "agent-on-a", "node-a");
        using var agent = server.CreateClientWithToken(token);

        var granted = await agent.CoreV1.ReadNamespacedSecretAsync("migration-state", "nvme-lm");
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => agent.CoreV1.ReadNamespacedSecretAsync("database-password", "default"));
        var listError = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => agent.CoreV1.ListNamespacedSecretAsync("nvme-lm"));

        Assert.Equal("migration-state", granted.Metadata.Name);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal((403, "Forbidden"), (status.Code, status.Reason));
        Assert.Equal("secrets \"database-password\" is forbidden: User \"system:serviceaccount:nvme-lm:nvme-lm-agent\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"",
            status.Message);
        Assert.Equal("secrets is forbidden: User \"system:serviceaccount:nvme-lm:nvme-lm-agent\" cannot list resource \"secrets\" in API group \"\" in the namespace \"nvme-lm\"",
            KubernetesJson.Deserialize<V1Status>(listError.Response.Content).Message);
    }

    private static Task<(int Code, JsonObject Body)> PatchStatusAsync(HttpClient agent, string node) =>
        HttpHelpers.SendAsync(agent, HttpMethod.Patch, $"/apis/nvmelm.io/v1alpha1/nvmenodes/{node}/status", s_statusPatch, "application/merge-patch+json");
}
