namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>The pool VFs of one node by resource name, as one sync found them. A resource no pool uses is absent.</summary>
public sealed record DeviceSnapshot(IReadOnlyDictionary<string, IReadOnlyList<VfDevice>> Resources)
{
    public static DeviceSnapshot Empty { get; } = new(new Dictionary<string, IReadOnlyList<VfDevice>>(StringComparer.Ordinal));

    public IReadOnlyList<VfDevice> DevicesOf(string resourceName) => Resources.GetValueOrDefault(resourceName) ?? [];
}
