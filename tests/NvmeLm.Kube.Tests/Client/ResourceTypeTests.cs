using k8s.Models;
using NvmeLm.Kube.Client;

namespace NvmeLm.Kube.Tests.Client;

public sealed class ResourceTypeTests
{
    [Fact]
    public void Of_Should_ReadCoreGroup_When_BuiltInKind()
    {
        var type = ResourceType.Of<V1ConfigMap>();

        Assert.Equal(new ResourceType("", "v1", "configmaps", "ConfigMap"), type);
        Assert.Equal("v1", type.ApiVersion);
    }

    [Fact]
    public void Of_Should_ReadGroup_When_GroupedKind()
    {
        var type = ResourceType.Of<V1Lease>();

        Assert.Equal("coordination.k8s.io/v1", type.ApiVersion);
        Assert.Equal("apis/coordination.k8s.io/v1/namespaces/kube-system/leases/op", type.Path("kube-system", "op"));
    }

    [Theory]
    [InlineData(null, null, null, "api/v1/configmaps")]
    [InlineData("ns", null, null, "api/v1/namespaces/ns/configmaps")]
    [InlineData("ns", "cm", null, "api/v1/namespaces/ns/configmaps/cm")]
    [InlineData("ns", "cm", "status", "api/v1/namespaces/ns/configmaps/cm/status")]
    [InlineData("", "cm", null, "api/v1/configmaps/cm")]
    public void Path_Should_BuildCoreUrl_When_Given(string? ns, string? name, string? sub, string expected)
    {
        Assert.Equal(expected, ResourceType.Of<V1ConfigMap>().Path(ns, name, sub));
    }

    [Fact]
    public void Path_Should_BuildCustomResourceUrl_When_CustomGroup()
    {
        var type = ResourceType.Of<TestWidget>();

        Assert.Equal("apis/test.nvmelm.io/v1/widgets/w1/status", type.Path(null, "w1", "status"));
        Assert.Equal("apis/test.nvmelm.io/v1/namespaces/a%20b/widgets", type.Path("a b"));
    }

    [Fact]
    public void Of_Should_Throw_When_TypeHasNoEntityAttribute()
    {
        var error = Assert.Throws<ArgumentException>(() => ResourceType.Of<string>());
        Assert.Contains("KubernetesEntity", error.Message);
    }
}
