namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The kubelet's fixed names (reference kubevirt-deviceplugin-helm-facts.md §3, from kubernetes/kubernetes
/// <c>staging/src/k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1/constants.go</c> and
/// <c>…/podresources/v1/constants.go</c>).
/// </summary>
public static class KubeletApi
{
    /// <summary>The device plugin API version we implement and send in <c>RegisterRequest.version</c>.</summary>
    public const string DevicePluginVersion = "v1beta1";

    /// <summary>Where the kubelet expects device plugin sockets (<c>DevicePluginPath</c>).</summary>
    public const string DefaultDevicePluginDirectory = "/var/lib/kubelet/device-plugins/";

    /// <summary>The kubelet's Registration socket inside the device plugin directory (<c>KubeletSocket</c>).</summary>
    public const string KubeletSocketName = "kubelet.sock";

    /// <summary>The kubelet's PodResources socket (<c>PodResourcesSocket</c>). Mount its directory, not the socket.</summary>
    public const string DefaultPodResourcesSocket = "/var/lib/kubelet/pod-resources/kubelet.sock";

    /// <summary><c>Device.health</c> of a device the kubelet may allocate.</summary>
    public const string Healthy = "Healthy";

    /// <summary><c>Device.health</c> of a device the kubelet must not allocate (it lowers the node's allocatable).</summary>
    public const string Unhealthy = "Unhealthy";

    /// <summary>The longest device ID the API allows (<c>Device.ID</c>: "Max length of this field is 63 characters").</summary>
    public const int MaxDeviceIdLength = 63;
}
