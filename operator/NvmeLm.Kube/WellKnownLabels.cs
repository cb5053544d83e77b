namespace NvmeLm.Kube;

/// <summary>
/// Labels Kubernetes itself defines ("Well-Known Labels, Annotations and Taints", kubernetes.io/docs/reference/labels-annotations-taints).
/// </summary>
public static class WellKnownLabels
{
    /// <summary>The kubelet sets it on its Node to the node's hostname; the scheduler's usual way to pin a pod to one node.</summary>
    public const string Hostname = "kubernetes.io/hostname";
}
