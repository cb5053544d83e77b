namespace NvmeLm.DevCluster;

/// <summary>One migration the demo creates: its name, the source VF, and the destination node (the operator picks the VF).</summary>
public sealed record DemoMigration(string Name, string SourceNode, string SourceVf, string DestinationNode);
