using System.Globalization;
using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// Builds the kubelet's Allocate answer for VFIO-bound VFs (reference §1, as KubeVirt's own VFIO device plugin does it):
/// device nodes <c>/dev/vfio/vfio</c> and <c>/dev/vfio/&lt;group&gt;</c> (permissions <c>mrw</c>), the iommufd cdev
/// <c>/dev/vfio/devices/vfioN</c> where the host has one, and the environment of <see cref="ResourceEnvironment"/>.
/// Every ID is checked first: one that is not a healthy pool VF of this resource refuses the whole request
/// (nothing is half-allocated).
/// </summary>
public static class AllocationResponder
{
    /// <summary>The VFIO container node every VFIO user opens first.</summary>
    public const string VfioContainer = "/dev/vfio/vfio";

    /// <summary>Read, write and mknod, as KubeVirt's device plugin grants (<c>pkg/virt-handler/device-manager/common.go</c>).</summary>
    public const string Permissions = "mrw";

    /// <param name="vfioCdevs">The iommufd cdev paths of a VF (empty when the host has none).</param>
    public static AllocateResponse Respond(
        string resourceName, IReadOnlyList<VfDevice> devices, AllocateRequest request, Func<string, IReadOnlyList<string>> vfioCdevs)
    {
        var byId = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var response = new AllocateResponse();
        foreach (ContainerAllocateRequest container in request.ContainerRequests)
        {
            List<VfDevice> chosen = container.DevicesIds.Select(id => Check(resourceName, byId, id)).ToList();
            response.ContainerResponses.Add(ForContainer(resourceName, chosen, vfioCdevs));
        }

        return response;
    }

    private static VfDevice Check(string resourceName, Dictionary<string, VfDevice> byId, string id)
    {
        if (!byId.TryGetValue(id, out VfDevice? device))
        {
            throw new AllocationRefusedException(Grpc.Core.StatusCode.NotFound,
                $"device {id} is not a VF of resource {resourceName} on this node");
        }

        if (!device.Healthy)
        {
            string held = device.HeldBy is { Length: > 0 } owner ? $" (held by NvmeMigration uid {owner})" : "";
            throw new AllocationRefusedException(Grpc.Core.StatusCode.FailedPrecondition,
                $"VF {id} of resource {resourceName} is not free and healthy: {device.Unhealthy}{held}; refusing to allocate it");
        }

        if (device.IommuGroup is null)
        {
            throw new AllocationRefusedException(Grpc.Core.StatusCode.FailedPrecondition,
                $"VF {id} of resource {resourceName} has no IOMMU group; refusing to allocate it");
        }

        return device;
    }

    private static ContainerAllocateResponse ForContainer(string resourceName, List<VfDevice> chosen, Func<string, IReadOnlyList<string>> vfioCdevs)
    {
        var response = new ContainerAllocateResponse();
        if (chosen.Count == 0)
        {
            return response;
        }

        var nodes = new List<string> { VfioContainer };
        nodes.AddRange(chosen.Select(d => "/dev/vfio/" + d.IommuGroup!.Value.ToString(CultureInfo.InvariantCulture)));
        nodes.AddRange(chosen.SelectMany(d => vfioCdevs(d.Id)));
        foreach (string node in nodes.Distinct(StringComparer.Ordinal))
        {
            response.Devices.Add(new DeviceSpec { ContainerPath = node, HostPath = node, Permissions = Permissions });
        }

        string addresses = string.Join(",", chosen.Select(d => d.Id));
        response.Envs[ResourceEnvironment.KubeVirtVariable(resourceName)] = addresses;
        response.Envs[ResourceEnvironment.SriovVariable(resourceName)] = addresses;
        return response;
    }
}
