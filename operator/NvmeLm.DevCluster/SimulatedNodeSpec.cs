namespace NvmeLm.DevCluster;

/// <summary>One emulated node of a <see cref="SimulatedCluster"/>: its name, labels and NVMe hardware.</summary>
public sealed record SimulatedNodeSpec
{
    /// <summary>The label the sample pool (<c>crds/samples/nvmevfpool.yaml</c>) selects nodes by.</summary>
    public static readonly KeyValuePair<string, string> SamplePoolLabel = new("nvmelm.io/pool", "fast-local-nvme");

    public required string Name { get; init; }

    /// <summary>Node labels; by default the sample pool's label, so the pool provisions this node.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string> { [SamplePoolLabel.Key] = SamplePoolLabel.Value };

    /// <summary>NVMe PFs on the node (0000:01:00.0, 0000:02:00.0, …).</summary>
    public int PfCount { get; init; } = 1;

    /// <summary>SR-IOV VFs (secondary controllers) each PF can have.</summary>
    public int TotalVfs { get; init; } = 8;

    /// <summary>Whether the PFs' primaries support host-managed live migration (OACS bit 11, TP4159).</summary>
    public bool LiveMigration { get; init; } = true;

    /// <summary>Bytes of controller state a Get Controller State returns.</summary>
    public int ControllerStateSize { get; init; } = 8192;
}
