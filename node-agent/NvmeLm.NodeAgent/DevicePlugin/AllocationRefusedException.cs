using Grpc.Core;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>An Allocate the plugin refuses: the kubelet gets it as a gRPC error with this status and message.</summary>
public sealed class AllocationRefusedException(StatusCode code, string message) : Exception(message)
{
    public StatusCode Code { get; } = code;
}
