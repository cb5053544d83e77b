using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// The VirtualMachineInstanceMigration a <c>stateTransfer: Vmm</c> NvmeMigration drives (reference
/// <c>kubevirt-deviceplugin-helm-facts.md</c> §1): <c>spec.vmiName</c>, and <c>spec.addedNodeSelector</c> pinning the
/// target virt-launcher pod to the destination node with <c>kubernetes.io/hostname</c>. Its name derives from the
/// NvmeMigration alone, so an operator that restarts mid-flow finds the one it created instead of making a second; a
/// migration adopted from a user's VMIM (<see cref="VmimAdopter"/>) follows that VMIM and never creates one.
/// </summary>
public static class VmimRequest
{
    /// <summary>Prefix of the VMIMs the operator creates; the rest is the NvmeMigration's UID (unique, DNS-safe).</summary>
    public const string NamePrefix = "nvmelm-";

    /// <summary>The VMIM this migration follows: the user's it was adopted from, else the one it creates.</summary>
    public static string NameFor(V1Alpha1NvmeMigration migration) => AdoptedFrom(migration) ?? NamePrefix + migration.Metadata.Uid;

    /// <summary>The name of the user's VMIM that owns (controls) this migration, if it was adopted from one.</summary>
    public static string? AdoptedFrom(V1Alpha1NvmeMigration migration) =>
        migration.Metadata.OwnerReferences?
            .FirstOrDefault(o => o.Controller == true && o.Kind == VirtualMachineInstanceMigration.KindName && o.ApiVersion == KubeVirtApi.ApiVersion)?
            .Name;

    /// <summary>
    /// The VMIM to create for <paramref name="migration"/>, owned by it (garbage-collected with it) and pinned to
    /// <paramref name="destinationNode"/>. The NvmeNode is named after the Kubernetes node, whose hostname label is the
    /// same unless the cluster overrides the kubelet's hostname; then the pod stays Pending and the VMIM fails.
    /// </summary>
    public static VirtualMachineInstanceMigration Build(V1Alpha1NvmeMigration migration, string destinationNode)
    {
        if (AdoptedFrom(migration) is { } user)
        {
            throw new InvalidOperationException($"NvmeMigration {migration.Metadata.Name} follows the user's VMIM {user}; it creates none.");
        }

        return new VirtualMachineInstanceMigration
        {
            Metadata = new V1ObjectMeta
            {
                Name = NameFor(migration),
                NamespaceProperty = migration.Metadata.NamespaceProperty,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = NvmeLmApi.ApiVersion, Kind = V1Alpha1NvmeMigration.KindName, Name = migration.Metadata.Name,
                        Uid = migration.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new VmimSpec
            {
                VmiName = migration.Spec.VmiName ?? throw new InvalidOperationException($"NvmeMigration {migration.Metadata.Name} names no VMI."),
                AddedNodeSelector = new Dictionary<string, string> { [WellKnownLabels.Hostname] = destinationNode },
            },
        };
    }
}
