using k8s;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Converges the hardware to the PF part of the spec, PF by PF: a PF whose spec is what the last clean apply of it
/// applied is skipped, unless the last full apply is half a resync period old (then every PF is re-applied, which is
/// how drift is found). A new generation usually changes one PF (a hold or a release) or only adds operations, and
/// re-reading every PF's hardware for it was a third of a 100-node demo's CPU (dotnet-trace).
/// </summary>
public sealed class ChangedPfApplier(SpecApplier applier, TimeSpan resyncPeriod, TimeProvider time)
{
    private readonly Dictionary<PciAddress, string> _applied = [];
    private DateTimeOffset _lastFullApply = DateTimeOffset.MinValue;

    /// <summary>A result for every desired PF: what applying it did, or an empty success for a PF skipped as unchanged.</summary>
    public IReadOnlyList<PfApplyResult> Apply(V1Alpha1NvmeNode.EntitySpec spec, IReadOnlyList<DesiredPf> desired)
    {
        DateTimeOffset now = time.GetUtcNow();
        bool full = now - _lastFullApply >= resyncPeriod / 2;
        Dictionary<PciAddress, string> fingerprints = desired.ToDictionary(d => d.Pf, d => Fingerprint(spec, d.Pf));
        HashSet<PciAddress> changed = [.. desired.Select(d => d.Pf)
            .Where(pf => full || !_applied.TryGetValue(pf, out string? applied) || applied != fingerprints[pf])];
        IReadOnlyList<PfApplyResult> results = changed.Count == 0 ? [] : applier.Apply(desired, changed);
        if (full)
        {
            _lastFullApply = now;
        }

        foreach (PciAddress gone in _applied.Keys.Where(pf => !fingerprints.ContainsKey(pf)).ToList())
        {
            _applied.Remove(gone);
        }

        foreach (PfApplyResult result in results)
        {
            if (result.Succeeded)
            {
                _applied[result.Pf] = fingerprints[result.Pf];
            }
            else
            {
                _applied.Remove(result.Pf);
            }
        }

        return [.. desired.Select(d => results.FirstOrDefault(r => r.Pf == d.Pf) ?? new PfApplyResult(d.Pf, [], null))];
    }

    private static string Fingerprint(V1Alpha1NvmeNode.EntitySpec spec, PciAddress pf) =>
        KubernetesJson.Serialize(spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == pf.ToString()));
}
