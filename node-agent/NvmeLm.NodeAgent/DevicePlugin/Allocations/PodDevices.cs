namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>The devices of one resource that the kubelet assigned to one container (a PodResources <c>ContainerDevices</c> entry).</summary>
public sealed record PodDevices(string Namespace, string Pod, string Container, string ResourceName, IReadOnlyList<string> DeviceIds);
