namespace NvmeLm.Integration.Tests;

/// <summary>Every test here runs a whole simulated cluster (API server, agents, operator); one at a time keeps timing honest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "Simulated cluster";
}
