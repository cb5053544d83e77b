using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>The built-in kinds the chart uses, applied and listed by the real kubectl (columns as kube-apiserver prints them).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlBuiltinKindsTests : IClassFixture<KubectlClusterFixture>
{
    private const string Manifests = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: agent, namespace: default}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: agent-role}
        rules:
        - apiGroups: [nvmelm.io]
          resources: [nvmenodes]
          verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: agent-binding}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: agent-role}
        subjects:
        - {kind: ServiceAccount, name: agent, namespace: default}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: secrets, namespace: default}
        rules:
        - apiGroups: [""]
          resources: [secrets]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: secrets, namespace: default}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secrets}
        subjects:
        - {kind: User, name: alice}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: own-node}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - apiGroups: [nvmelm.io]
              apiVersions: ["*"]
              operations: [UPDATE]
              resources: [nvmenodes, nvmenodes/status]
          validations:
          - expression: "object.metadata.name == 'x'"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: own-node}
        spec:
          policyName: own-node
          validationActions: [Deny]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: metrics, namespace: default}
        spec:
          selector: {app: op}
          ports:
          - {name: metrics, port: 8080}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: op, namespace: default}
        spec:
          replicas: 2
          selector: {matchLabels: {app: op}}
          template:
            metadata: {labels: {app: op}}
            spec:
              containers:
              - {name: operator, image: "example/op:1"}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: default}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              nodeSelector: {nvme: "yes"}
              containers:
              - {name: agent, image: "example/agent:1"}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: op, namespace: default}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: op}}
        """;

    private readonly KubectlClusterFixture _cluster;

    public KubectlBuiltinKindsTests(KubectlClusterFixture cluster) => _cluster = cluster;

    [Theory]
    [InlineData("serviceaccount/agent", "NAME SECRETS AGE", "agent 0")]
    [InlineData("clusterrole/agent-role", "NAME CREATED AT", "agent-role")]
    [InlineData("clusterrolebinding/agent-binding", "NAME ROLE AGE", "agent-binding ClusterRole/agent-role")]
    [InlineData("role/secrets", "NAME CREATED AT", "secrets")]
    [InlineData("rolebinding/secrets", "NAME ROLE AGE", "secrets Role/secrets")]
    [InlineData("validatingadmissionpolicy/own-node", "NAME VALIDATIONS PARAMKIND AGE", "own-node 1 <unset>")]
    [InlineData("validatingadmissionpolicybinding/own-node", "NAME POLICYNAME PARAMREF AGE", "own-node own-node <unset>")]
    [InlineData("service/metrics", "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE", "metrics ClusterIP 10.96.")]
    [InlineData("deployment/op", "NAME READY UP-TO-DATE AVAILABLE AGE", "op 0/2 0 0")]
    [InlineData("daemonset/agent", "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE", "agent 0 0 0 0 0 nvme=yes")]
    [InlineData("poddisruptionbudget/op", "NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE", "op 1 N/A 0")]
    public async Task ApplyThenGet_Should_StoreTheKind_And_PrintKubesColumns(string resource, string header, string rowStart)
    {
        (await _cluster.Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Manifests))).EnsureSuccess();

        var get = (await _cluster.Kubectl.RunAsync("get", resource, "-n", "default")).EnsureSuccess();

        var lines = get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Squeeze).ToList();
        Assert.Equal(header, lines[0]);
        Assert.StartsWith(rowStart, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Should_ListWorkloadsUnderAll()
    {
        (await _cluster.Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(Manifests))).EnsureSuccess();

        var all = (await _cluster.Kubectl.RunAsync("get", "all", "-n", "default", "-o", "name")).EnsureSuccess().Stdout;

        Assert.Contains("service/metrics", all);
        Assert.Contains("deployment.apps/op", all);
        Assert.Contains("daemonset.apps/agent", all);
    }

    [Fact]
    public async Task Apply_Should_RejectUnknownBuiltinField_When_KubectlAsksForStrictValidation()
    {
        string manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\nspec:\n  replicaz: 2\n  selector: {matchLabels: {app: t}}\n"
            + "  template:\n    metadata: {labels: {app: t}}\n    spec:\n      containers:\n      - {name: c, image: i, imagePullPolicee: Always}\n";

        var result = await _cluster.Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(manifest));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown field \"spec.replicaz\"", result.Stderr);
        Assert.Contains("unknown field \"spec.template.spec.containers[0].imagePullPolicee\"", result.Stderr);
    }

    [Fact]
    public async Task Apply_Should_Refuse400_When_BuiltinFieldHasTheWrongType()
    {
        string manifest = "apiVersion: v1\nkind: Service\nmetadata: {name: wrong-type}\nspec:\n  ports:\n  - {port: eighty}\n";

        var result = await _cluster.Kubectl.RunAsync("apply", "-f", KubectlClusterFixture.Manifest(manifest));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal string into Go struct field .spec.ports[0].port of type int32", result.Stderr);
    }

    private static string Squeeze(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
