using NvmeLm.Kube.Reconciliation;

namespace NvmeLm.Kube.Tests.Client;

public sealed class ReconcileResultTests
{
    [Fact]
    public void Factories_Should_BuildDistinctKinds_When_Called()
    {
        var error = new InvalidOperationException("x");

        Assert.Equal(new ReconcileResult.Succeeded(null), ReconcileResult.Success());
        Assert.Equal(new ReconcileResult.Succeeded(TimeSpan.FromSeconds(3)), ReconcileResult.Success(TimeSpan.FromSeconds(3)));
        Assert.Equal(new ReconcileResult.Failed("m", error), ReconcileResult.Failure("m", error));
        Assert.Equal(new ReconcileResult.TerminalFailure("bad", null), ReconcileResult.Terminal("bad"));
    }

    [Fact]
    public void NamespacedName_Should_TreatEmptyNamespaceAsClusterScoped_When_BuiltFromObject()
    {
        var cm = new k8s.Models.V1ConfigMap { Metadata = new() { Name = "n", NamespaceProperty = "" } };

        Assert.Equal(NamespacedName.Cluster("n"), NamespacedName.Of(cm));
        Assert.Equal("ns/n", new NamespacedName("ns", "n").ToString());
        Assert.Equal("n", NamespacedName.Cluster("n").ToString());
    }
}
