using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Operator.Pools;

/// <summary>
/// Renders the pools that own a node's PFs onto <c>NvmeNode.spec.physicalFunctions</c> (DESIGN §3, seed steps
/// 1–4): per PF numVfs, resource name, and per VF the pool's flexible resources and VFIO driver with role
/// Pool. Secondaries held by a migration (MigrationSource / ResumeTarget) are never overwritten, and a PF with
/// held VFs keeps its numVfs (changing it goes through 0 and would destroy the migrating VF) and stays listed
/// even if no pool selects it any more. Entries without a pool (written by hand) are left alone.
/// A PF a pool let go of (the pool was deleted, or no longer selects it) is torn down through the agent's
/// contract: it stays listed with <c>numVfs: 0</c>, which makes the agent undo what its journal says it did
/// (numvfs, autoprobe, drivers back to what they were), and leaves the spec only once the agent reports that
/// generation applied (Ready); the agent never touches a PF the spec does not list, so dropping it at once would
/// leave its VFs configured. Operations are never touched here.
/// </summary>
internal static class PoolRenderer
{
    /// <summary>Rewrites the node's PF list; true when it changed.</summary>
    public static bool Render(V1Alpha1NvmeNode node, PoolAssignment assignment)
    {
        var (rendered, changed) = Plan(node, assignment);
        node.Spec.PhysicalFunctions = rendered;
        return changed;
    }

    /// <summary>
    /// Whether <see cref="Render"/> would change the node's PF list, without changing <paramref name="node"/>: the
    /// operator asks this of its cached copy for every NvmeNode event (mostly an agent's status write, which
    /// changes nothing here) before it copies anything.
    /// </summary>
    public static bool WouldChange(V1Alpha1NvmeNode node, PoolAssignment assignment) => Plan(node, assignment).Changed;

    /// <summary>The PF list the pools render for <paramref name="node"/>; the existing entries are reused, never changed.</summary>
    private static (List<PhysicalFunctionSpec>? Rendered, bool Changed) Plan(V1Alpha1NvmeNode node, PoolAssignment assignment)
    {
        var before = KubernetesJson.Serialize(node.Spec.PhysicalFunctions ?? []);
        var existing = (node.Spec.PhysicalFunctions ?? []).ToDictionary(pf => pf.Address, StringComparer.Ordinal);
        var rendered = new List<PhysicalFunctionSpec>();
        foreach (var pf in existing.Values)
        {
            if (assignment.Winners.ContainsKey(pf.Address))
            {
                continue;
            }

            if (pf.Pool is null || Held(pf).Any())
            {
                rendered.Add(pf);
            }
            else if (!TornDown(node, pf))
            {
                rendered.Add(TearDown(pf));
            }
        }

        foreach (var (address, pool) in assignment.Winners)
        {
            existing.TryGetValue(address, out var current);
            rendered.Add(RenderPf(address, pool, current));
        }

        rendered.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        var result = rendered.Count == 0 && node.Spec.PhysicalFunctions is null ? null : rendered;
        return (result, KubernetesJson.Serialize(result ?? []) != before);
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

    /// <summary>The entry that asks the agent to undo its changes to a PF no pool owns any more (keeps the pool's name).</summary>
    private static PhysicalFunctionSpec TearDown(PhysicalFunctionSpec pf) => new()
    {
        Address = pf.Address,
        NumVfs = 0,
        Pool = pf.Pool,
        Secondaries = [],
    };

    /// <summary>
    /// The tear-down entry is in the spec and the agent reports the current generation applied without error, so
    /// the PF is back as the agent found it and the entry can go.
    /// </summary>
    private static bool TornDown(V1Alpha1NvmeNode node, PhysicalFunctionSpec pf) =>
        pf.NumVfs == 0 && pf.Secondaries is not { Count: > 0 }
        && node.Metadata.Generation is { } generation
        && node.Status?.ObservedGeneration == generation
        && Conditions.IsTrueFor(node.Status.Conditions, "Ready", generation);

    private static IEnumerable<SecondaryControllerSpec> Held(PhysicalFunctionSpec pf) =>
        pf.Secondaries?.Where(s => s.Role != SecondaryRole.Pool) ?? [];
}
