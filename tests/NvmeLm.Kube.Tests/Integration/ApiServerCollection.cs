namespace NvmeLm.Kube.Tests.Integration;

/// <summary>Integration tests each start an embedded API server; they run one at a time (timing-sensitive watches).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ApiServerCollection
{
    public const string Name = "Embedded API server";
}
