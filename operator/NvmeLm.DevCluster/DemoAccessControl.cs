using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Authentication;

namespace NvmeLm.DevCluster;

/// <summary>
/// The simulated cluster with access control on (<see cref="SimulatedClusterOptions.AccessControl"/>, the demo's
/// <c>--access-control</c>): RBAC and admission policies enforced on every request, with grants that follow the
/// chart's (charts/nvme-lm-operator/templates/rbac.yaml) for the demo's own identities — the operator replicas are
/// service accounts of the operator namespace, the agents are node users <c>system:node:&lt;node&gt;</c> in
/// <c>system:nodes</c> — and a policy that lets an agent change only the NvmeNode named after its node. A request
/// the grants do not cover is a 403 in the run's log and usually a run that does not finish. (Installing the chart
/// itself, with pod-bound service-account tokens, is the install test's job; this measures the enforcement cost
/// and checks the grants against what the system really does.)
/// </summary>
public static class DemoAccessControl
{
    public const string NodesGroup = "system:nodes";

    /// <summary>Groups of the demo identities: the admin is a cluster admin, each agent's node user is in system:nodes.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> IdentityGroups(IEnumerable<SimulatedNodeSpec> nodes)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>> { [SimulatedCluster.AdminIdentity] = [SystemUsers.MastersGroup] };
        foreach (var node in nodes)
        {
            groups[SimulatedNode.AgentIdentity(node.Name)] = [NodesGroup];
        }
        return groups;
    }

    public static async Task ApplyAsync(Kubernetes admin, CancellationToken cancellationToken)
    {
        await GrantAsync(admin, "nvme-lm-operator", ServiceAccountIdentity.GroupPrefix + SimulatedClusterOptions.OperatorNamespace, cancellationToken,
            Rule(["nvmelm.io"], ["nvmevfpools", "nvmenodes", "nvmemigrations"], "get", "list", "watch", "create", "update", "patch", "delete"),
            Rule(["nvmelm.io"], ["nvmevfpools/status", "nvmemigrations/status"], "get", "update", "patch"),
            Rule(["nvmelm.io"], ["nvmemigrations/finalizers"], "update"),
            Rule([""], ["nodes"], "get", "list", "watch"),
            // As the chart grants them: the KubeVirt bridge asks at start whether VMIs are served (404 here: no KubeVirt).
            Rule(["kubevirt.io"], ["virtualmachineinstances"], "get", "list", "watch"),
            Rule(["kubevirt.io"], ["virtualmachineinstancemigrations"], "create", "get", "list", "watch", "delete"),
            Rule([""], ["secrets"], "get", "list", "watch", "create", "delete"),
            Rule(["", "events.k8s.io"], ["events"], "create", "patch", "update"),
            Rule(["coordination.k8s.io"], ["leases"], "get", "list", "watch", "create", "update"));
        await GrantAsync(admin, "nvme-lm-agent", NodesGroup, cancellationToken,
            Rule(["nvmelm.io"], ["nvmenodes"], "get", "list", "watch", "create"),
            Rule(["nvmelm.io"], ["nvmenodes/status"], "get", "patch"),
            Rule([""], ["secrets"], "get", "patch", "watch"),
            Rule(["", "events.k8s.io"], ["events"], "create", "patch", "update"));
        await admin.AdmissionregistrationV1.CreateValidatingAdmissionPolicyAsync(new V1ValidatingAdmissionPolicy
        {
            Metadata = new() { Name = "nvme-lm-agent-own-node" },
            Spec = new V1ValidatingAdmissionPolicySpec
            {
                FailurePolicy = "Fail",
                MatchConstraints = new V1MatchResources
                {
                    ResourceRules = [new V1NamedRuleWithOperations { ApiGroups = ["nvmelm.io"], ApiVersions = ["*"], Operations = ["CREATE", "UPDATE", "DELETE"], Resources = ["nvmenodes", "nvmenodes/status"] }],
                },
                MatchConditions = [new V1MatchCondition { Name = "agent", Expression = "request.userInfo.username.startsWith('system:node:')" }],
                Validations =
                [
                    new V1Validation
                    {
                        Expression = "(request.operation == 'DELETE' ? oldObject.metadata.name : object.metadata.name) == request.userInfo.username.substring(12)",
                        MessageExpression = "'agent ' + request.userInfo.username + ' may only change the NvmeNode of its own node'",
                    },
                ],
            },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await admin.AdmissionregistrationV1.CreateValidatingAdmissionPolicyBindingAsync(new V1ValidatingAdmissionPolicyBinding
        {
            Metadata = new() { Name = "nvme-lm-agent-own-node" },
            Spec = new V1ValidatingAdmissionPolicyBindingSpec { PolicyName = "nvme-lm-agent-own-node", ValidationActions = ["Deny"] },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A ClusterRole with <paramref name="rules"/> and its binding to <paramref name="group"/>, both named <paramref name="name"/>.</summary>
    private static async Task GrantAsync(Kubernetes admin, string name, string group, CancellationToken cancellationToken, params V1PolicyRule[] rules)
    {
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new() { Name = name }, Rules = rules }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new() { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = group }],
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static V1PolicyRule Rule(string[] groups, string[] resources, params string[] verbs) =>
        new() { ApiGroups = groups, Resources = resources, Verbs = verbs };
}
