using Grpc.Net.Client;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>Registers a resource's socket with the kubelet's <c>Registration</c> service on <c>kubelet.sock</c>.</summary>
public static class KubeletRegistrar
{
    /// <exception cref="Grpc.Core.RpcException">The kubelet is not there or refused (unsupported version, resource name taken).</exception>
    public static async Task RegisterAsync(string kubeletSocket, string resourceName, string endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using GrpcChannel channel = UnixSocketChannel.Create(kubeletSocket);
        var client = new Registration.RegistrationClient(channel);
        await client.RegisterAsync(new RegisterRequest
        {
            Version = KubeletApi.DevicePluginVersion,
            Endpoint = endpoint,
            ResourceName = resourceName,
            Options = ResourcePluginContext.Options,
        }, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
