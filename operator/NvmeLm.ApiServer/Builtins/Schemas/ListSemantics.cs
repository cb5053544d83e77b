namespace NvmeLm.ApiServer.Builtins.Schemas;

/// <summary>
/// The list semantics of the built-in types' list fields (what kube's OpenAPI carries as
/// <c>x-kubernetes-list-type</c> / <c>x-kubernetes-list-map-keys</c> and <c>x-kubernetes-patch-merge-key</c>),
/// which the KubernetesClient models do not carry. Taken from the <c>+listType</c>, <c>+listMapKey</c> and
/// <c>patchMergeKey</c> markers of kubernetes/kubernetes <c>staging/src/k8s.io/api/{core,apps,policy,
/// admissionregistration}/v1/types.go</c> and <c>…/apimachinery/pkg/apis/meta/v1/types.go</c>, for the
/// fields of the served kinds. A list field not named here is atomic, as kube's are without markers.
/// </summary>
internal static class ListSemantics
{
    /// <summary>(model class, JSON field) → keys of a map-type list, or an empty array for a set.</summary>
    private static readonly Dictionary<(string Model, string Field), string[]> s_lists = new()
    {
        [("V1ObjectMeta", "finalizers")] = [],
        [("V1ObjectMeta", "ownerReferences")] = ["uid"],
        [("V1PodSpec", "containers")] = ["name"],
        [("V1PodSpec", "initContainers")] = ["name"],
        [("V1PodSpec", "ephemeralContainers")] = ["name"],
        [("V1PodSpec", "volumes")] = ["name"],
        [("V1PodSpec", "imagePullSecrets")] = ["name"],
        [("V1PodSpec", "hostAliases")] = ["ip"],
        [("V1PodSpec", "topologySpreadConstraints")] = ["topologyKey", "whenUnsatisfiable"],
        [("V1PodSpec", "resourceClaims")] = ["name"],
        [("V1PodSpec", "schedulingGates")] = ["name"],
        [("V1Container", "env")] = ["name"],
        [("V1Container", "ports")] = ["containerPort", "protocol"],
        [("V1Container", "volumeMounts")] = ["mountPath"],
        [("V1Container", "volumeDevices")] = ["devicePath"],
        [("V1EphemeralContainer", "env")] = ["name"],
        [("V1EphemeralContainer", "volumeMounts")] = ["mountPath"],
        [("V1EphemeralContainer", "volumeDevices")] = ["devicePath"],
        [("V1ServiceSpec", "ports")] = ["port", "protocol"],
        [("V1PodStatus", "conditions")] = ["type"],
        [("V1NodeStatus", "conditions")] = ["type"],
        [("V1NodeStatus", "addresses")] = ["type"],
        [("V1NamespaceStatus", "conditions")] = ["type"],
        [("V1ServiceStatus", "conditions")] = ["type"],
        [("V1DeploymentStatus", "conditions")] = ["type"],
        [("V1DaemonSetStatus", "conditions")] = ["type"],
        [("V1PodDisruptionBudgetStatus", "conditions")] = ["type"],
        [("V1ValidatingAdmissionPolicyStatus", "conditions")] = ["type"],
        [("V1ValidatingAdmissionPolicySpec", "matchConditions")] = ["name"],
        [("V1CustomResourceDefinitionStatus", "conditions")] = ["type"],
    };

    /// <summary>The OpenAPI extensions for one list field (atomic when not listed).</summary>
    public static (string ListType, string[] Keys) For(string model, string field) =>
        s_lists.TryGetValue((model, field), out var keys) ? (keys.Length == 0 ? "set" : "map", keys) : ("atomic", []);
}
