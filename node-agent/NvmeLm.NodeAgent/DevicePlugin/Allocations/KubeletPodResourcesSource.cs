using Grpc.Net.Client;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.PodResourcesV1;

namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>
/// The kubelet's <c>PodResourcesLister.List</c> over its unix socket (reference §3). <c>List</c> answers for every pod
/// at once; <c>Get</c> needs a pod name, which the device plugin never learns (Allocate carries only device IDs), so
/// it is not used. A channel is opened per call: a restarted kubelet recreates the socket, and the next call dials it.
/// </summary>
public sealed class KubeletPodResourcesSource(string socketPath, TimeSpan callTimeout) : IPodResourcesSource
{
    public string SocketPath { get; } = socketPath;

    public async Task<IReadOnlyList<PodDevices>> ListAsync(CancellationToken cancellationToken)
    {
        using GrpcChannel channel = UnixSocketChannel.Create(SocketPath);
        var client = new PodResourcesLister.PodResourcesListerClient(channel);
        ListPodResourcesResponse response = await client.ListAsync(new ListPodResourcesRequest(),
            deadline: DateTime.UtcNow + callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.PodResources
            .SelectMany(pod => pod.Containers.SelectMany(container => container.Devices.Select(devices =>
                new PodDevices(pod.Namespace, pod.Name, container.Name, devices.ResourceName, devices.DeviceIds.ToList()))))
            .ToList();
    }
}
