using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Reconciliation;
using NvmeLm.Operator.Logging;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// A VirtualMachineInstanceMigration a user created for a VMI that holds a pool VF gets an NvmeMigration
/// (<c>stateTransfer: Vmm</c>) owned by that VMIM, so the VF is prepared and released with the VM's move and the
/// object is garbage-collected with the VMIM. VMIMs the operator created itself (owned by an NvmeMigration) and
/// VMIs without a pool VF are left to KubeVirt alone. The destination is the node the VMIM pins with
/// <c>addedNodeSelector</c>'s hostname: without a pin the VF's destination is unknown and the VMIM is not adopted.
/// </summary>
internal sealed class VmimAdopter(
    ObjectCache<VirtualMachineInstanceMigration> vmims, KubeVirtView kubeVirt, Func<string, V1Alpha1NvmeNode?> getNode,
    ResourceClient<V1Alpha1NvmeMigration> migrations, ILogger logger) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        if (vmims.Get(key) is not { } vmim || VmimPhases.IsFinal(vmim.Phase)
            || vmim.Metadata.OwnerReferences?.Any(o => o.Kind == V1Alpha1NvmeMigration.KindName) == true)
        {
            return ReconcileResult.Success();
        }

        if (kubeVirt.GetVmi(key.Namespace!, vmim.Spec.VmiName) is not { Status.NodeName: { Length: > 0 } node } vmi
            || getNode(node) is not { } nvmeNode || VmiSource.HeldVfs(vmi, nvmeNode) is not { Count: > 0 } held)
        {
            return ReconcileResult.Success();
        }

        if (vmim.Spec.AddedNodeSelector?.GetValueOrDefault(WellKnownLabels.Hostname) is not { Length: > 0 } destination)
        {
            logger.VmimNotAdopted(key.ToString(), $"it does not pin the target node with addedNodeSelector {WellKnownLabels.Hostname}");
            return ReconcileResult.Success();
        }

        try
        {
            await migrations.CreateAsync(Adopt(vmim, node, held, destination), cancellationToken).ConfigureAwait(false);
            logger.VmimAdopted(key.ToString(), vmim.Metadata.Name);
        }
        catch (KubeApiException e) when (e.StatusCode is HttpStatusCode.Conflict)
        {
            // Adopted on an earlier pass.
        }

        return ReconcileResult.Success();
    }

    /// <summary>
    /// One VF: named; several: left to validation, which fails listing them. No blockOwnerDeletion: that would need
    /// update on the VMIM's finalizers (OwnerReferencesPermissionEnforcement), which the chart does not grant.
    /// </summary>
    private static V1Alpha1NvmeMigration Adopt(VirtualMachineInstanceMigration vmim, string node, List<string> held, string destination) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = vmim.Metadata.Name,
            NamespaceProperty = vmim.Metadata.NamespaceProperty,
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = KubeVirtApi.ApiVersion, Kind = VirtualMachineInstanceMigration.KindName, Name = vmim.Metadata.Name,
                    Uid = vmim.Metadata.Uid, Controller = true,
                },
            ],
        },
        Spec = new V1Alpha1NvmeMigration.EntitySpec
        {
            VmiName = vmim.Spec.VmiName,
            Source = new MigrationSource { Node = node, VfAddress = held.Count == 1 ? held[0] : null },
            Destination = new MigrationDestination { Node = destination },
            StateTransfer = StateTransferMode.Vmm,
        },
    };
}
