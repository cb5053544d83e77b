using k8s;
using k8s.Models;
using NvmeLm.DevCluster.KubeVirt;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>KubeVirt's VMI/VMIM CRDs in a test cluster, and VMIs as KubeVirt's controllers would have left them.</summary>
public static class KubeVirtFixture
{
    public static async Task<ResourceClient<VirtualMachineInstance>> InstallAsync(OperatorTestCluster cluster)
    {
        foreach (var crd in KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(RepositoryFiles.KubeVirtCrds)).Cast<V1CustomResourceDefinition>())
        {
            await cluster.Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        var vmis = new ResourceClient<VirtualMachineInstance>(cluster.Admin);
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await vmis.ListAsync(OperatorTestCluster.Namespace, null, CancellationToken.None);
                return true;
            }
            catch (KubeApiException)
            {
                return false;
            }
        }, "VirtualMachineInstances served");
        return vmis;
    }

    /// <summary>A running VMI on <paramref name="node"/> whose virt-launcher pod has <paramref name="podUid"/>.</summary>
    public static async Task<VirtualMachineInstance> CreateRunningVmiAsync(
        ResourceClient<VirtualMachineInstance> vmis, string name, string node, string podUid, bool liveMigratable, string resourceName = "nvmelm.io/migratable-vf")
    {
        var vmi = await vmis.CreateAsync(new VirtualMachineInstance
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorTestCluster.Namespace },
            Spec = new VmiSpec { Domain = new VmiDomain { Devices = new VmiDevices { HostDevices = [new VmiHostDevice { Name = "nvme", DeviceName = resourceName }] } } },
        }, CancellationToken.None);
        vmi.Status = new VmiStatus
        {
            Phase = "Running",
            NodeName = node,
            ActivePods = new Dictionary<string, string> { [podUid] = node },
            Conditions = [SimulatedVirtController.LiveMigratableCondition(liveMigratable)],
        };
        return await vmis.ReplaceStatusAsync(vmi, CancellationToken.None);
    }
}
