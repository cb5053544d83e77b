using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.NodeAgent.Agent;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// The state Secret watched ahead of its RestoreState: nothing is watched before the source lists the SaveState, the
/// bytes are handed out only when they are the state the source reported, and the watch stops with the wait.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class StateSecretPrefetchTests
{
    private const string SecretName = "nvmelm-state-prefetch";
    private static readonly OperationReference s_save = new() { Node = "source", OperationId = "m-save-state" };

    [Fact]
    public async Task TryTake_Should_HandOutOnlyTheReportedState_When_TheWatchDeliveredIt()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await cluster.CreateStateSecretAsync(SecretName);
        await using var prefetch = new StateSecretPrefetch(cluster.Secrets, maxBytes: 1024, NullLogger.Instance);
        byte[] state = [.. Enumerable.Range(0, 512).Select(i => (byte)i)];
        string sha256 = Sha256(state);

        prefetch.Expect(s_save, AgentCluster.StateNamespace, SecretName);
        Assert.Empty(prefetch.WatchedSecrets); // expected, not requested yet: no watch
        prefetch.OnRequested(s_save);
        prefetch.OnRequested(s_save); // once per Secret
        Assert.Equal([AgentCluster.StateNamespace + "/" + SecretName], prefetch.WatchedSecrets);
        await WriteStateAsync(cluster, state);

        byte[] taken = await Eventually.ValueAsync(
            () => Task.FromResult(prefetch.TryTake(AgentCluster.StateNamespace, SecretName, sha256)), _ => true, "the watch delivered the state");
        Assert.Equal(state, taken);
        Assert.Null(prefetch.TryTake(AgentCluster.StateNamespace, SecretName, new string('0', 64))); // not what the source reported
        Assert.Null(prefetch.TryTake(AgentCluster.StateNamespace, SecretName, null));
        Assert.Null(prefetch.TryTake(AgentCluster.StateNamespace, "another-secret", sha256));

        prefetch.Retain([]);
        Assert.Empty(prefetch.WatchedSecrets);
        Assert.Null(prefetch.TryTake(AgentCluster.StateNamespace, SecretName, sha256));
    }

    [Fact]
    public async Task TryTake_Should_HandOutNothing_When_TheStateIsAboveTheCap()
    {
        await using var cluster = await AgentCluster.StartAsync();
        await cluster.CreateStateSecretAsync(SecretName);
        await using var prefetch = new StateSecretPrefetch(cluster.Secrets, maxBytes: 256, NullLogger.Instance);
        byte[] small = new byte[128];
        byte[] large = new byte[512];
        prefetch.Expect(s_save, AgentCluster.StateNamespace, SecretName);
        prefetch.OnRequested(s_save);
        await WriteStateAsync(cluster, small);
        await Eventually.TrueAsync(() => prefetch.TryTake(AgentCluster.StateNamespace, SecretName, Sha256(small)) is not null, "the watch delivered the small state");

        await WriteStateAsync(cluster, large);

        // The small state is gone once the watch delivered the large one, which is above the cap: the restore reads the Secret.
        await Eventually.TrueAsync(() => prefetch.TryTake(AgentCluster.StateNamespace, SecretName, Sha256(small)) is null, "the watch delivered the large state");
        Assert.Null(prefetch.TryTake(AgentCluster.StateNamespace, SecretName, Sha256(large)));
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static Task WriteStateAsync(AgentCluster cluster, byte[] state)
    {
        var patch = new JsonObject { ["data"] = new JsonObject { [StateSecretStore.DataKey] = Convert.ToBase64String(state) } };
        return cluster.Secrets.PatchAsync(new NamespacedName(AgentCluster.StateNamespace, SecretName), patch.ToJsonString(), CancellationToken.None);
    }
}
