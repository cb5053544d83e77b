namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>One advertised resource: its devices, the server on its socket, and whether the kubelet that is there now knows it.</summary>
internal sealed class ServedResource(ResourceDevices devices, ResourcePluginServer server)
{
    public ResourceDevices Devices { get; } = devices;

    public ResourcePluginServer Server { get; set; } = server;

    public bool Registered { get; set; }
}
