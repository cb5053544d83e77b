using NvmeLm.ApiServer.Tests.AccessControl;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>The real kubectl against a server with RBAC and admission policies: --token, auth can-i, auth whoami, create token.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KubectlAccessControlTests
{
    [Fact]
    public async Task Token_Should_MakeKubectlActAsThatUser_AndForbiddenIsPrintedAsKubePrintsIt()
    {
        await using var server = await AccessControlSetup.StartAsync(tls: true);
        await AccessControlSetup.ApplyAsync(server, AccessControlSetup.AliceReadsTeamSecrets);
        using var kubectl = new KubectlRunner(server.KubeConfigPath);

        var asAdmin = await kubectl.RunAsync("get", "secrets", "-n", "team");
        var asAlice = await kubectl.RunAsync("--token", "alice", "get", "secrets", "-n", "team");
        var asAliceElsewhere = await kubectl.RunAsync("--token", "alice", "get", "secret", "x", "-n", "default");

        asAdmin.EnsureSuccess();
        Assert.NotEqual(0, asAlice.ExitCode);
        Assert.Contains("Error from server (Forbidden): secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team\"", asAlice.Stderr);
        Assert.Contains("Error from server (Forbidden): secrets \"x\" is forbidden: User \"alice\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"", asAliceElsewhere.Stderr);
    }

    [Fact]
    public async Task AuthCanI_Should_AnswerYesOrNo_FromRbac()
    {
        await using var server = await AccessControlSetup.StartAsync(tls: true);
        await AccessControlSetup.ApplyAsync(server, AccessControlSetup.AliceReadsTeamSecrets);
        using var kubectl = new KubectlRunner(server.KubeConfigPath);

        var get = await kubectl.RunAsync("--token", "alice", "auth", "can-i", "get", "secrets", "-n", "team");
        var delete = await kubectl.RunAsync("--token", "alice", "auth", "can-i", "delete", "secrets", "-n", "team");
        var elsewhere = await kubectl.RunAsync("--token", "alice", "auth", "can-i", "get", "secrets", "-n", "default");
        var admin = await kubectl.RunAsync("auth", "can-i", "delete", "nodes");

        Assert.Equal((0, "yes"), (get.ExitCode, get.Stdout.Trim()));
        Assert.Equal((1, "no"), (delete.ExitCode, delete.Stdout.Trim()));
        Assert.Equal((1, "no"), (elsewhere.ExitCode, elsewhere.Stdout.Trim()));
        Assert.Equal((0, "yes"), (admin.ExitCode, admin.Stdout.Trim()));
    }

    [Fact]
    public async Task CreateToken_Should_IssueAPodBoundToken_ThatWhoamiShowsWithItsNodeClaim()
    {
        await using var server = await AccessControlSetup.StartAsync(tls: true);
        await AccessControlSetup.PodTokenAsync(server, "nvme-lm", "nvme-lm-agent", "agent-on-a", "node-a");
        using var kubectl = new KubectlRunner(server.KubeConfigPath);

        var token = (await kubectl.RunAsync("create", "token", "nvme-lm-agent", "-n", "nvme-lm", "--bound-object-kind", "Pod", "--bound-object-name", "agent-on-a"))
            .EnsureSuccess().Stdout.Trim();
        var whoami = (await kubectl.RunAsync("--token", token, "auth", "whoami")).EnsureSuccess().Stdout;

        var lines = whoami.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Username", StringComparison.Ordinal) && l.EndsWith("system:serviceaccount:nvme-lm:nvme-lm-agent", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Extra: authentication.kubernetes.io/node-name", StringComparison.Ordinal) && l.EndsWith("[node-a]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Extra: authentication.kubernetes.io/pod-name", StringComparison.Ordinal) && l.EndsWith("[agent-on-a]", StringComparison.Ordinal));
    }
}
