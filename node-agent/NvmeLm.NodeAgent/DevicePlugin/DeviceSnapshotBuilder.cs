using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// Derives the device plugin's view from one sync: the devices are the VFs <c>1..numVfs</c> of every spec PF that
/// names a <c>resourceName</c> (rendered from its pool), identified by the VF address the inventory reports; each
/// one's health comes from hardware truth (online, driver, PF readable) and the agent's own state (the last apply of
/// its PF, a migration's hold). A VF the inventory has no address for (not enabled yet) is not advertised; the VFs of a
/// PF whose controller could not be read (so no CNS 0x15 list) stay advertised as the previous sync found them, Unhealthy.
/// </summary>
public static class DeviceSnapshotBuilder
{
    /// <param name="spec">The NvmeNode spec the sync applied.</param>
    /// <param name="failedPfs">PFs whose spec was invalid or whose apply failed in this sync.</param>
    /// <param name="inventory">The inventory read after applying.</param>
    /// <param name="unreadablePfs">PFs whose controller could not be read.</param>
    /// <param name="vfioGroupExists">Whether <c>/dev/vfio/&lt;group&gt;</c> exists on the host.</param>
    /// <param name="previous">What the previous sync built (the devices of an unreadable PF are kept from it).</param>
    public static DeviceSnapshot Build(
        V1Alpha1NvmeNode.EntitySpec spec,
        IReadOnlySet<string> failedPfs,
        IReadOnlyList<PhysicalFunctionStatus> inventory,
        IReadOnlySet<string> unreadablePfs,
        Func<int, bool> vfioGroupExists,
        DeviceSnapshot previous)
    {
        var resources = new Dictionary<string, List<VfDevice>>(StringComparer.Ordinal);
        foreach (PhysicalFunctionSpec pf in spec.PhysicalFunctions ?? [])
        {
            if (string.IsNullOrEmpty(pf.ResourceName))
            {
                continue;
            }

            if (!resources.TryGetValue(pf.ResourceName, out List<VfDevice>? devices))
            {
                // A resource stays advertised (possibly with no device) while a spec PF names it.
                devices = [];
                resources[pf.ResourceName] = devices;
            }

            PhysicalFunctionStatus? status = inventory.FirstOrDefault(p => p.Address == pf.Address);
            VfUnhealthyCauses pfCauses = (failedPfs.Contains(pf.Address) ? VfUnhealthyCauses.ApplyFailed : VfUnhealthyCauses.None)
                | (unreadablePfs.Contains(pf.Address) ? VfUnhealthyCauses.PfDegraded : VfUnhealthyCauses.None);
            if (unreadablePfs.Contains(pf.Address) && status?.Secondaries is null)
            {
                devices.AddRange(previous.DevicesOf(pf.ResourceName).Where(d => d.Pf == pf.Address).Select(d => d with { Unhealthy = d.Unhealthy | pfCauses }));
                continue;
            }

            for (int vf = 1; vf <= pf.NumVfs; vf++)
            {
                SecondaryControllerStatus? secondary = status?.Secondaries?.FirstOrDefault(s => s.VfNumber == vf);
                if (secondary?.VfAddress is not { } address)
                {
                    continue;
                }

                SecondaryControllerSpec? wanted = pf.Secondaries?.FirstOrDefault(s => s.VfNumber == vf);
                string? heldBy = HeldBy(wanted, secondary);
                VfUnhealthyCauses causes = pfCauses
                    | (secondary.Online ? VfUnhealthyCauses.None : VfUnhealthyCauses.SecondaryOffline)
                    | (OnPoolDriver(wanted, secondary, vfioGroupExists) ? VfUnhealthyCauses.None : VfUnhealthyCauses.NotOnPoolDriver)
                    | ((heldBy is null && !secondary.Suspended) || HandedToTargetPod(wanted, secondary) ? VfUnhealthyCauses.None : VfUnhealthyCauses.HeldByMigration);
                devices.Add(new VfDevice(address, pf.ResourceName, pf.Address, secondary.IommuGroup, causes, heldBy));
            }
        }

        return new DeviceSnapshot(resources.ToDictionary(
            r => r.Key, r => (IReadOnlyList<VfDevice>)r.Value.OrderBy(d => d.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal));
    }

    /// <summary>The migration holding the VF: the spec's intent (the operator reserved it) or the journal's lock (the agent applied it).</summary>
    private static string? HeldBy(SecondaryControllerSpec? wanted, SecondaryControllerStatus secondary)
    {
        if (wanted is { Role: not SecondaryRole.Pool })
        {
            return wanted.OwnerUid ?? "";
        }

        return secondary.Role is SecondaryRole.MigrationSource or SecondaryRole.ResumeTarget ? secondary.OwnerUid ?? "" : null;
    }

    /// <summary>
    /// A <c>stateTransfer: Vmm</c> destination (issue 11): the operator reserved the VF as ResumeTarget for KubeVirt's
    /// target pod, so it stays allocatable (Healthy) instead of hidden; not once the reservation is dropped, nor while
    /// the agent still holds it for another purpose or it is suspended.
    /// </summary>
    private static bool HandedToTargetPod(SecondaryControllerSpec? wanted, SecondaryControllerStatus secondary) =>
        wanted is { Role: SecondaryRole.ResumeTarget, HandToTargetPod: true }
        && !secondary.Suspended
        && secondary.Role is SecondaryRole.Pool or SecondaryRole.ResumeTarget
        && (secondary.Role == SecondaryRole.Pool || secondary.OwnerUid == wanted.OwnerUid);

    /// <summary>Bound to the driver the pool wants, and that driver gave it a VFIO group node a container can open.</summary>
    private static bool OnPoolDriver(SecondaryControllerSpec? wanted, SecondaryControllerStatus secondary, Func<int, bool> vfioGroupExists) =>
        wanted?.Driver is { } driver
        && secondary.Driver == driver
        && secondary.IommuGroup is int group
        && vfioGroupExists(group);
}
