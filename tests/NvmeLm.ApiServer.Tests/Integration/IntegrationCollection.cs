namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Integration tests run one at a time: each starts real servers and (some) real kubectl processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "DevCluster integration";
}
