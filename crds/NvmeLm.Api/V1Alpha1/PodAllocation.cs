using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// A container the kubelet allocated a VF to, as its PodResources API reports it (pod name, namespace, container)
/// plus the pod's UID, which the agent looks up on the API server (PodResources does not carry it).
/// </summary>
[Description("A container the kubelet allocated this VF to (kubelet PodResources API).")]
public sealed class PodAllocation
{
    [Required]
    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("Namespace of the pod.")]
    public string Namespace { get; set; } = "";

    [Required]
    [Pattern(ApiPatterns.Dns1123Subdomain)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("Name of the pod.")]
    public string Pod { get; set; } = "";

    [Required]
    [Pattern(ApiPatterns.Dns1123Label)]
    [MaxLength(ApiPatterns.Dns1123LabelMaxLength)]
    [Description("Name of the container (an init container's devices are reused by the app containers after it).")]
    public string Container { get; set; } = "";

    [Pattern(ApiPatterns.Uid)]
    [Description("UID of the pod; absent until the agent could read the pod from the API server.")]
    public string? PodUid { get; set; }
}
