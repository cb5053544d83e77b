using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Pools;

/// <summary>Whether a pool selects a node (nodeSelector over the Node's labels) and a PF (controllerSelector over the agent's inventory).</summary>
internal static class PoolSelector
{
    /// <summary>matchLabels semantics: every pair must be present; an empty or absent selector selects every node.</summary>
    public static bool SelectsNode(V1Alpha1NvmeVfPool pool, IDictionary<string, string>? nodeLabels)
    {
        foreach (var (key, value) in pool.Spec.NodeSelector ?? [])
        {
            if (nodeLabels is null || !nodeLabels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Every field the selector sets must match (AND); ids compare case-insensitively, model and serial with
    /// trailing spaces trimmed (Identify pads them). Without a selector, every PF whose primary supports
    /// Virtualization Management is selected.
    /// </summary>
    public static bool SelectsPf(V1Alpha1NvmeVfPool pool, PhysicalFunctionStatus pf)
    {
        var selector = pool.Spec.ControllerSelector;
        if (selector is null)
        {
            return pf.Capabilities?.VirtualizationManagement == true;
        }

        return Same(selector.VendorId, pf.VendorId, ignoreCase: true)
            && Same(selector.DeviceId, pf.DeviceId, ignoreCase: true)
            && Same(selector.Model, pf.Model?.TrimEnd(), ignoreCase: false)
            && Same(selector.Serial, pf.Serial?.TrimEnd(), ignoreCase: false)
            && (selector.PfAddresses is not { Count: > 0 } addresses || addresses.Contains(pf.Address));
    }

    private static bool Same(string? wanted, string? actual, bool ignoreCase) =>
        wanted is null || string.Equals(wanted.TrimEnd(), actual, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Oldest first (creationTimestamp, then name): the order in which pools win a contested PF.</summary>
    public static IReadOnlyList<V1Alpha1NvmeVfPool> ByAge(IEnumerable<V1Alpha1NvmeVfPool> pools) =>
        pools.OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
}
