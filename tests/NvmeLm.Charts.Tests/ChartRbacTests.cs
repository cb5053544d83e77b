namespace NvmeLm.Charts.Tests;

public sealed class ChartRbacTests
{
    private const string Release = "nvme-lm";

    [Theory]
    [InlineData("nvmelm.io", "nvmemigrations", "watch", null)]
    [InlineData("nvmelm.io", "nvmemigrations/status", "update", "default")]
    [InlineData("nvmelm.io", "nvmemigrations/finalizers", "update", "default")]
    [InlineData("nvmelm.io", "nvmevfpools/status", "update", null)]
    [InlineData("nvmelm.io", "nvmenodes", "update", null)]
    [InlineData("", "nodes", "list", null)]
    [InlineData("", "secrets", "create", Release)]
    [InlineData("", "secrets", "delete", Release)]
    [InlineData("", "events", "create", "default")]
    [InlineData("coordination.k8s.io", "leases", "update", Release)]
    public async Task OperatorGrants_Should_Allow_What_TheOperatorDoes(string group, string resource, string verb, string? ns)
    {
        var grants = ChartGrants.For(await HelmChart.TemplateAsync(), "demo-operator");

        Assert.True(grants.Allows(group, resource, verb, ns), $"operator lacks {verb} {group}/{resource} in {ns ?? "the cluster"}");
    }

    [Theory]
    [InlineData("", "secrets", "get", "default")]
    [InlineData("", "secrets", "list", null)]
    [InlineData("", "secrets", "create", "default")]
    public async Task OperatorGrants_Should_ReachSecretsOnlyInTheReleaseNamespace(string group, string resource, string verb, string? ns)
    {
        var grants = ChartGrants.For(await HelmChart.TemplateAsync(), "demo-operator");

        Assert.False(grants.Allows(group, resource, verb, ns));
    }

    [Theory]
    [InlineData("nvmelm.io", "nvmenodes", "watch", null, true)]
    [InlineData("nvmelm.io", "nvmenodes", "create", null, true)]
    [InlineData("nvmelm.io", "nvmenodes/status", "patch", null, true)]
    [InlineData("nvmelm.io", "nvmenodes/status", "update", null, false)]
    [InlineData("", "secrets", "patch", Release, true)]
    [InlineData("", "secrets", "get", Release, true)]
    [InlineData("", "secrets", "watch", Release, true)]
    [InlineData("", "secrets", "watch", "default", false)]
    [InlineData("", "secrets", "get", "default", false)]
    [InlineData("", "secrets", "get", "kube-system", false)]
    [InlineData("", "secrets", "list", Release, false)]
    [InlineData("", "secrets", "create", Release, false)]
    [InlineData("nvmelm.io", "nvmenodes", "update", null, false)]
    [InlineData("nvmelm.io", "nvmenodes", "delete", null, false)]
    [InlineData("nvmelm.io", "nvmemigrations", "get", "default", false)]
    [InlineData("", "nodes", "list", null, false)]
    [InlineData("", "pods", "get", "default", true)]
    [InlineData("", "pods", "list", "default", false)]
    [InlineData("coordination.k8s.io", "leases", "update", Release, false)]
    public async Task AgentGrants_Should_BeLeastPrivilege(string group, string resource, string verb, string? ns, bool allowed)
    {
        var grants = ChartGrants.For(await HelmChart.TemplateAsync(), "demo-agent");

        Assert.Equal(allowed, grants.Allows(group, resource, verb, ns));
    }
}
