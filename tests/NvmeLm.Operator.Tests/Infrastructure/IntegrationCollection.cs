namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>Integration tests run one at a time: each starts an API server, fake agents and operator instances.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "Operator integration";
}
