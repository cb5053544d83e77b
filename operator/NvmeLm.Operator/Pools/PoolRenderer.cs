using k8s;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Pools;

/// <summary>
/// Renders the pools that own a node's PFs onto <c>NvmeNode.spec.physicalFunctions</c> (DESIGN §3, seed steps
/// 1–4): per PF numVfs, resource name, and per VF the pool's flexible resources and VFIO driver with role
/// Pool. Secondaries held by a migration (MigrationSource / ResumeTarget) are never overwritten, and a PF with
/// held VFs keeps its numVfs (changing it goes through 0 and would destroy the migrating VF) and stays listed
/// even if no pool selects it any more. Entries without a pool (written by hand) are left alone.
/// Operations are never touched here.
/// </summary>
internal static class PoolRenderer
{
    /// <summary>Rewrites the node's PF list; true when it changed.</summary>
    public static bool Render(V1Alpha1NvmeNode node, PoolAssignment assignment)
    {
        var before = KubernetesJson.Serialize(node.Spec.PhysicalFunctions ?? []);
        var existing = (node.Spec.PhysicalFunctions ?? []).ToDictionary(pf => pf.Address, StringComparer.Ordinal);
        var rendered = new List<PhysicalFunctionSpec>();
        foreach (var pf in existing.Values)
        {
            var ownedByPool = assignment.Winners.ContainsKey(pf.Address);
            if (!ownedByPool && (pf.Pool is null || Held(pf).Any()))
            {
                rendered.Add(pf);
            }
        }

        foreach (var (address, pool) in assignment.Winners)
        {
            existing.TryGetValue(address, out var current);
            rendered.Add(RenderPf(address, pool, current));
        }

        rendered.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        node.Spec.PhysicalFunctions = rendered.Count == 0 && node.Spec.PhysicalFunctions is null ? null : rendered;
        return KubernetesJson.Serialize(node.Spec.PhysicalFunctions ?? []) != before;
    }

    private static PhysicalFunctionSpec RenderPf(string address, V1Alpha1NvmeVfPool pool, PhysicalFunctionSpec? current)
    {
        var held = current is null ? new Dictionary<int, SecondaryControllerSpec>() : Held(current).ToDictionary(s => s.VfNumber);
        var numVfs = held.Count > 0 && current!.NumVfs != pool.Spec.NumVfs ? current.NumVfs : pool.Spec.NumVfs;
        var secondaries = new List<SecondaryControllerSpec>();
        for (var vf = 1; vf <= numVfs; vf++)
        {
            secondaries.Add(held.TryGetValue(vf, out var h) ? h : new SecondaryControllerSpec
            {
                VfNumber = vf,
                Queues = pool.Spec.Queues,
                Interrupts = pool.Spec.Interrupts,
                Driver = pool.Spec.VfioDriver,
                Role = SecondaryRole.Pool,
            });
        }

        return new PhysicalFunctionSpec
        {
            Address = address,
            NumVfs = numVfs,
            Pool = pool.Metadata.Name,
            ResourceName = pool.Spec.ResourceName,
            Secondaries = secondaries,
        };
    }

    private static IEnumerable<SecondaryControllerSpec> Held(PhysicalFunctionSpec pf) =>
        pf.Secondaries?.Where(s => s.Role != SecondaryRole.Pool) ?? [];
}
