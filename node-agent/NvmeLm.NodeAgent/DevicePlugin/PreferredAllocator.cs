using NvmeLm.NodeAgent.DevicePlugin.Protocol.V1Beta1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The GetPreferredAllocation hint: the devices the kubelet must include, then healthy VFs spread over PFs — each
/// next VF comes from the PF with the fewest VFs in use (allocated on the node, or already chosen), ties by PF then
/// VF address — so one PF's failure or migration load touches as few pods as possible. A VF a migration holds is
/// never offered (it is Unhealthy, so the kubelet should not list it as available; this does not trust that), except
/// a <c>stateTransfer: Vmm</c> destination (<see cref="VfDevice.ForTargetPod"/>), which is offered first: the kubelet
/// does not say which pod it allocates for, and the pod that should get it is KubeVirt's migration target pod (issue
/// 11). A pod asking at the same moment may get it instead; the operator verifies the target pod's allocation before
/// the migration commits and fails it cleanly otherwise.
/// </summary>
public static class PreferredAllocator
{
    /// <param name="inUsePerPf">VFs per PF address that containers already have.</param>
    public static PreferredAllocationResponse Choose(
        IReadOnlyList<VfDevice> devices, IReadOnlyDictionary<string, int> inUsePerPf, PreferredAllocationRequest request)
    {
        var byId = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var response = new PreferredAllocationResponse();
        foreach (ContainerPreferredAllocationRequest container in request.ContainerRequests)
        {
            response.ContainerResponses.Add(ForContainer(byId, inUsePerPf, container));
        }

        return response;
    }

    private static ContainerPreferredAllocationResponse ForContainer(
        Dictionary<string, VfDevice> byId, IReadOnlyDictionary<string, int> inUsePerPf, ContainerPreferredAllocationRequest request)
    {
        var chosen = new List<string>(request.MustIncludeDeviceIDs.Distinct(StringComparer.Ordinal));
        var load = new Dictionary<string, int>(inUsePerPf, StringComparer.Ordinal);
        foreach (string id in chosen)
        {
            if (byId.TryGetValue(id, out VfDevice? device))
            {
                load[device.Pf] = load.GetValueOrDefault(device.Pf) + 1;
            }
        }

        List<VfDevice> candidates = request.AvailableDeviceIDs
            .Distinct(StringComparer.Ordinal)
            .Where(id => !chosen.Contains(id))
            .Select(id => byId.GetValueOrDefault(id))
            .OfType<VfDevice>()
            .Where(d => d.Healthy)
            .ToList();
        while (chosen.Count < request.AllocationSize && candidates.Count > 0)
        {
            VfDevice next = candidates
                .OrderByDescending(d => d.ForTargetPod)
                .ThenBy(d => load.GetValueOrDefault(d.Pf))
                .ThenBy(d => d.Pf, StringComparer.Ordinal)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .First();
            candidates.Remove(next);
            chosen.Add(next.Id);
            load[next.Pf] = load.GetValueOrDefault(next.Pf) + 1;
        }

        var response = new ContainerPreferredAllocationResponse();
        response.DeviceIDs.Add(chosen);
        return response;
    }
}
