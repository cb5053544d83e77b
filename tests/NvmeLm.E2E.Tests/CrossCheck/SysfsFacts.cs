namespace NvmeLm.E2E.Tests.CrossCheck;

/// <summary>
/// The guest's <c>sysfs_facts</c> block (tests/e2e/guest/sriov.sh): <c>key=value</c> lines for the PF and
/// <c>vf.K=BDF driver=D iommu_group=G</c> per enabled VF (K = virtfn index).
/// </summary>
public sealed class SysfsFacts
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Address, string Driver, string IommuGroup)> _vfs = [];

    public IReadOnlyDictionary<int, (string Address, string Driver, string IommuGroup)> Vfs => _vfs;

    public string this[string key] => _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"sysfs fact '{key}' missing");

    public static SysfsFacts Parse(string block)
    {
        var facts = new SysfsFacts();
        foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = line[..eq];
            if (key.StartsWith("vf.", StringComparison.Ordinal))
            {
                var parts = line[(eq + 1)..].Split(' ');
                facts._vfs[int.Parse(key[3..], System.Globalization.CultureInfo.InvariantCulture)] =
                    (parts[0], parts[1]["driver=".Length..], parts[2]["iommu_group=".Length..]);
            }
            else
            {
                facts._values[key] = line[(eq + 1)..];
            }
        }

        return facts;
    }
}
