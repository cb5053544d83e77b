using Grpc.Core;
using Microsoft.Extensions.Logging;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The kubelet's view of one resource (<c>v1beta1.DevicePlugin</c>, one instance per call on that resource's socket).
/// </summary>
public sealed class VfDevicePluginService(ResourcePluginContext context) : Protocol.V1Beta1.DevicePlugin.DevicePluginBase
{
    public override Task<DevicePluginOptions> GetDevicePluginOptions(Empty request, ServerCallContext context) =>
        Task.FromResult(ResourcePluginContext.Options);

    /// <summary>The full list at once, then again on every change of an ID or a health, until the kubelet hangs up or the resource is withdrawn.</summary>
    public override async Task ListAndWatch(Empty request, IServerStreamWriter<ListAndWatchResponse> responseStream, ServerCallContext callContext)
    {
        CancellationToken cancellationToken = callContext.CancellationToken;
        while (!cancellationToken.IsCancellationRequested)
        {
            (IReadOnlyList<VfDevice> devices, Task changed, bool withdrawn) = context.Devices.Watch();
            if (withdrawn)
            {
                return;
            }

            var response = new ListAndWatchResponse();
            response.Devices.Add(devices.Select(d => new Device { ID = d.Id, Health = d.Health }));
            await responseStream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            DevicePluginLog.DevicesSent(context.Logger, context.Devices.ResourceName, devices.Count, devices.Count(d => d.Healthy));
            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override Task<PreferredAllocationResponse> GetPreferredAllocation(PreferredAllocationRequest request, ServerCallContext callContext) =>
        Task.FromResult(PreferredAllocator.Choose(context.Devices.Devices, context.Observer.InUsePerPf(), request));

    public override Task<AllocateResponse> Allocate(AllocateRequest request, ServerCallContext callContext)
    {
        string resource = context.Devices.ResourceName;
        try
        {
            AllocateResponse response = AllocationResponder.Respond(resource, context.Devices.Devices, request, context.VfioCdevs);
            List<string> ids = request.ContainerRequests.SelectMany(c => c.DevicesIds).ToList();
            DevicePluginLog.Allocated(context.Logger, resource, string.Join(",", ids));
            context.Observer.Allocated(resource, ids);
            return Task.FromResult(response);
        }
        catch (AllocationRefusedException ex)
        {
            DevicePluginLog.AllocationRefused(context.Logger, resource, ex.Message);
            throw new RpcException(new Status(ex.Code, ex.Message));
        }
    }

    public override Task<PreStartContainerResponse> PreStartContainer(PreStartContainerRequest request, ServerCallContext callContext) =>
        Task.FromResult(new PreStartContainerResponse());
}
