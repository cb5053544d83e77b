namespace NvmeLm.E2E.Tests.Harness;

/// <summary>All tests that read the one QEMU run share it through this collection.</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2ERunFixture>
{
    public const string Name = "qemu-e2e";
}
