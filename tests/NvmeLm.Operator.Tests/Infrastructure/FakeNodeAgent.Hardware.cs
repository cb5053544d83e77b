using k8s.Models;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Tests.Infrastructure;

public sealed partial class FakeNodeAgent
{
    private static readonly DateTime s_conditionTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly Dictionary<SecondaryRole, string> _refusedRoles = new();

    /// <summary>Applying <paramref name="role"/> to any VF fails with <paramref name="error"/> (lastSyncError + Degraded).</summary>
    public void RefuseRole(SecondaryRole role, string error)
    {
        lock (_lock)
        {
            _refusedRoles[role] = error;
        }
    }

    /// <summary>Level-triggered: make the fake hardware look like spec.physicalFunctions (PFs not listed are not touched).</summary>
    private void ApplySpec(V1Alpha1NvmeNode.EntitySpec spec)
    {
        lock (_lock)
        {
            string? error = null;
            foreach (var pfSpec in spec.PhysicalFunctions ?? [])
            {
                if (!_pfs.TryGetValue(pfSpec.Address, out var pf))
                {
                    error = $"PF {pfSpec.Address} does not exist";
                    continue;
                }

                if (pf.NumVfs != pfSpec.NumVfs)
                {
                    _actions.Add($"Provision {pfSpec.Address} numVfs {pf.NumVfs} -> {pfSpec.NumVfs}");
                    pf.Vfs.Clear();
                    for (var n = 1; n <= pfSpec.NumVfs; n++)
                    {
                        pf.Vfs[n] = new FakeVf { VfNumber = n, Address = pf.Pf.VfAddress(n) };
                    }

                    _pfs[pfSpec.Address] = pf = (pf.Pf, pfSpec.NumVfs, pf.Vfs);
                }

                foreach (var secondary in pfSpec.Secondaries ?? [])
                {
                    if (!pf.Vfs.TryGetValue(secondary.VfNumber, out var vf))
                    {
                        continue;
                    }

                    if (!vf.Online || vf.Driver != secondary.Driver)
                    {
                        _actions.Add($"Provision {vf.Address} online, driver {secondary.Driver}");
                        vf.Online = true;
                        vf.Queues = secondary.Queues ?? 2;
                        vf.Interrupts = secondary.Interrupts ?? 1;
                        vf.Driver = secondary.Driver;
                    }

                    error ??= ApplyRole(vf, secondary);
                }
            }

            _syncError = error;
        }
    }

    private string? ApplyRole(FakeVf vf, SecondaryControllerSpec secondary)
    {
        if (vf.Role == secondary.Role && vf.OwnerUid == secondary.OwnerUid)
        {
            return null;
        }

        if (secondary.Role != SecondaryRole.Pool)
        {
            if (_refusedRoles.TryGetValue(secondary.Role, out var refused))
            {
                return refused;
            }

            _actions.Add($"Hold {vf.Address} {secondary.Role} {secondary.OwnerUid}");
            vf.Role = secondary.Role;
            vf.OwnerUid = secondary.OwnerUid;
            return null;
        }

        // Release: a controller still suspended (migrated away) or restored but never resumed is reset, never resumed.
        if (vf.Suspended)
        {
            _actions.Add($"Reset {vf.Address}");
            vf.Suspended = false;
            vf.Restored = false;
            vf.State = FakeVf.NewState();
        }

        _actions.Add($"Release {vf.Address} {vf.Role}");
        vf.Role = SecondaryRole.Pool;
        vf.OwnerUid = null;
        return null;
    }

    private V1Alpha1NvmeNode.EntityStatus BuildStatus(V1Alpha1NvmeNode node)
    {
        lock (_lock)
        {
            var pfs = _pfs.Values.OrderBy(p => p.Pf.Address, StringComparer.Ordinal).Select(p => new PhysicalFunctionStatus
            {
                Address = p.Pf.Address,
                VendorId = p.Pf.VendorId,
                DeviceId = p.Pf.DeviceId,
                Model = p.Pf.Model,
                Serial = p.Pf.Serial,
                Driver = "nvme",
                TotalVfs = p.Pf.TotalVfs,
                NumVfs = p.NumVfs,
                DriversAutoprobe = false,
                Capabilities = new ControllerCapabilities
                {
                    VirtualizationManagement = p.Pf.VirtualizationManagement,
                    HostManagedLiveMigration = p.Pf.HostManagedLiveMigration,
                    StateFormatVersions = (p.Pf.StateFormatVersions ?? [0]).ToList(),
                },
                Secondaries = p.Vfs.Values.OrderBy(v => v.VfNumber).Select(v => new SecondaryControllerStatus
                {
                    Scid = v.VfNumber,
                    VfNumber = v.VfNumber,
                    Online = v.Online,
                    Queues = v.Queues,
                    Interrupts = v.Interrupts,
                    VfAddress = v.Address,
                    Driver = v.Driver,
                    IommuGroup = 10 + v.VfNumber,
                    Role = v.Role,
                    OwnerUid = v.OwnerUid,
                    Migratable = v.Online && p.Pf.HostManagedLiveMigration && v.Driver == "vfio-pci",
                    Suspended = v.Suspended,
                    AllocatedTo = v.AllocatedToPod is { } pod ? [new PodAllocation { Namespace = "default", Pod = pod, Container = "compute" }] : null,
                }).ToList(),
            }).ToList();
            var ids = (node.Spec.Operations ?? []).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            return new V1Alpha1NvmeNode.EntityStatus
            {
                ObservedGeneration = node.Metadata.Generation,
                Conditions =
                [
                    new V1Condition { Type = "Ready", Status = _syncError is null ? "True" : "False", Reason = _syncError is null ? "SpecApplied" : "SyncFailed",
                        Message = "", LastTransitionTime = s_conditionTime, ObservedGeneration = node.Metadata.Generation },
                    new V1Condition { Type = "Degraded", Status = _syncError is null ? "False" : "True", Reason = _syncError is null ? "AsExpected" : "SyncFailed",
                        Message = _syncError ?? "", LastTransitionTime = s_conditionTime, ObservedGeneration = node.Metadata.Generation },
                ],
                LastSyncError = _syncError,
                AgentVersion = "fake",
                PfCount = pfs.Count,
                VfCount = pfs.Sum(p => p.NumVfs),
                MigratableVfCount = pfs.Sum(p => p.Secondaries!.Count(s => s.Migratable)),
                AllocatedVfCount = pfs.Sum(p => p.Secondaries!.Count(s => s.AllocatedTo is not null)),
                PhysicalFunctions = pfs,
                OperationResults = _results.Values.Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList(),
            };
        }
    }
}
