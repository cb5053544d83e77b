using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Bench;

/// <summary>
/// What <c>bench --access-control</c> adds, so the cost of enforcement can be measured: RBAC grants of the bench
/// identities (one ClusterRoleBinding per client, as a chart binds each service account) and a bound admission
/// policy evaluated on every bench write (a matchCondition, a variable and a validation reading the object, the
/// user name and the optional extra claims).
/// </summary>
public static class BenchAccessControl
{
    public static async Task ApplyAsync(Kubernetes admin, string group, string plural, int clients, CancellationToken cancellationToken)
    {
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new() { Name = "bench-writer" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [group], Resources = [plural], Verbs = ["get", "list", "watch", "create", "patch"] },
                new V1PolicyRule { ApiGroups = [group], Resources = [$"{plural}/status"], Verbs = ["patch"] },
            ],
        }, cancellationToken: cancellationToken);
        foreach (string user in Enumerable.Range(0, clients).Select(c => $"bench-client-{c}").Append("bench-watcher"))
        {
            await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
            {
                Metadata = new() { Name = user },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "bench-writer" },
                Subjects = [new Rbacv1Subject { Kind = "User", Name = user }],
            }, cancellationToken: cancellationToken);
        }
        await admin.AdmissionregistrationV1.CreateValidatingAdmissionPolicyAsync(new V1ValidatingAdmissionPolicy
        {
            Metadata = new() { Name = "bench-own-items" },
            Spec = new V1ValidatingAdmissionPolicySpec
            {
                FailurePolicy = "Fail",
                MatchConstraints = new V1MatchResources
                {
                    ResourceRules = [new V1NamedRuleWithOperations { ApiGroups = [group], ApiVersions = ["*"], Operations = ["CREATE", "UPDATE"], Resources = [plural, $"{plural}/status"] }],
                },
                MatchConditions = [new V1MatchCondition { Name = "bench-client", Expression = "request.userInfo.username.startsWith('bench-client-')" }],
                Variables = [new V1Variable { Name = "client", Expression = "'c' + request.userInfo.username.split('-')[2]" }],
                Validations =
                [
                    new V1Validation
                    {
                        Expression = "object.metadata.labels.client == variables.client && request.userInfo.extra[?'authentication.kubernetes.io/node-name'].orValue([]).size() == 0",
                        MessageExpression = "'client ' + variables.client + ' may only write its own items'",
                    },
                ],
            },
        }, cancellationToken: cancellationToken);
        await admin.AdmissionregistrationV1.CreateValidatingAdmissionPolicyBindingAsync(new V1ValidatingAdmissionPolicyBinding
        {
            Metadata = new() { Name = "bench-own-items" },
            Spec = new V1ValidatingAdmissionPolicyBindingSpec { PolicyName = "bench-own-items", ValidationActions = ["Deny"] },
        }, cancellationToken: cancellationToken);
    }
}
