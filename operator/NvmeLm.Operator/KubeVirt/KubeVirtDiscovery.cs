using System.Net;
using NvmeLm.Kube.Client;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// Whether the cluster serves KubeVirt's VirtualMachineInstances, asked once at start: a list of at most what
/// the server returns for an empty namespace selection. 404 means the CRDs are not installed; 403 means the
/// operator was not granted them (the chart grants get/list/watch) — both run the operator without the bridge.
/// </summary>
internal static class KubeVirtDiscovery
{
    public static async Task<(bool Served, string Why)> ServesVmisAsync(ResourceClient<VirtualMachineInstance> vmis, CancellationToken cancellationToken)
    {
        try
        {
            await vmis.ListAsync(ns: null, new ListOptions { LabelSelector = "nvmelm.io/discovery-probe=none" }, cancellationToken).ConfigureAwait(false);
            return (true, "kubevirt.io/v1 VirtualMachineInstances are served");
        }
        catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
        {
            return (false, "the kubevirt.io/v1 VirtualMachineInstance API is not served (KubeVirt is not installed)");
        }
        catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Forbidden)
        {
            return (false, "the operator may not list kubevirt.io VirtualMachineInstances (RBAC)");
        }
    }
}
