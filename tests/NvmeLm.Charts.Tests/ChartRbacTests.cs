using k8s.Models;

namespace NvmeLm.Charts.Tests;

public sealed class ChartRbacTests
{
    [Theory]
    [InlineData("nvmelm.io", "nvmemigrations", "watch")]
    [InlineData("nvmelm.io", "nvmemigrations/status", "update")]
    [InlineData("nvmelm.io", "nvmemigrations/finalizers", "update")]
    [InlineData("nvmelm.io", "nvmevfpools/status", "update")]
    [InlineData("nvmelm.io", "nvmenodes", "update")]
    [InlineData("", "nodes", "list")]
    [InlineData("", "secrets", "create")]
    [InlineData("", "events", "create")]
    [InlineData("coordination.k8s.io", "leases", "update")]
    public async Task OperatorRole_Should_Allow_What_TheOperatorDoes(string group, string resource, string verb)
    {
        var role = await RoleAsync("demo-operator");

        Assert.True(Allows(role, group, resource, verb), $"operator role lacks {verb} {group}/{resource}");
    }

    [Theory]
    [InlineData("nvmelm.io", "nvmenodes", "watch", true)]
    [InlineData("nvmelm.io", "nvmenodes/status", "patch", true)]
    [InlineData("nvmelm.io", "nvmenodes/status", "update", false)]
    [InlineData("", "secrets", "patch", true)]
    [InlineData("", "secrets", "create", false)]
    [InlineData("nvmelm.io", "nvmenodes", "update", false)]
    [InlineData("nvmelm.io", "nvmemigrations", "get", false)]
    [InlineData("", "nodes", "list", false)]
    [InlineData("coordination.k8s.io", "leases", "update", false)]
    public async Task AgentRole_Should_BeLeastPrivilege(string group, string resource, string verb, bool allowed)
    {
        var role = await RoleAsync("demo-agent");

        Assert.Equal(allowed, Allows(role, group, resource, verb));
    }

    private static async Task<V1ClusterRole> RoleAsync(string name) =>
        (await HelmChart.TemplateAsync()).OfType<V1ClusterRole>().Single(r => r.Metadata.Name == name);

    private static bool Allows(V1ClusterRole role, string group, string resource, string verb) =>
        role.Rules.Any(rule =>
            rule.ApiGroups.Contains(group) && rule.Resources.Contains(resource) && rule.Verbs.Contains(verb));
}
