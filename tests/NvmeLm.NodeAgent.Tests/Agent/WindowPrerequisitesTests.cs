using System.Text;
using NvmeLm.Hardware.Host;
using NvmeLm.Kube;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>
/// What the critical section needs is exercised when the agent starts: a host that cannot provide it fails the start,
/// before the agent touches its NvmeNode, instead of failing a migration whose source is already suspended.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class WindowPrerequisitesTests
{
    [Fact]
    public async Task Start_Should_WriteTheOperationJournal_When_TheAgentStarts()
    {
        await using var cluster = await AgentCluster.StartAsync();
        string directory = cluster.NewJournalDirectory();

        NodeAgentHost agent = await cluster.StartAgentAsync("worker-1", AgentHosts.Create("W1"), directory);

        // Written before any operation was requested, and readable as an empty journal of this node.
        Assert.True(SlottedFileWriter.Exists(agent.Operations.Path), $"{agent.Operations.Path} exists");
        Assert.Empty(new OperationJournal(directory, "worker-1").Records);
    }

    [Fact]
    public async Task Start_Should_FailBeforeTouchingTheNvmeNode_When_TheOperationJournalCannotBeWritten()
    {
        await using var cluster = await AgentCluster.StartAsync();
        // A file where the journal directory should be: nothing can be created under it (root included).
        string blocked = Path.Combine(cluster.NewJournalDirectory(), "not-a-directory");
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "in the way", Encoding.ASCII);

        var error = await Assert.ThrowsAnyAsync<IOException>(() => cluster.StartAgentAsync("worker-1", AgentHosts.Create("W1"), Path.Combine(blocked, "journal")));

        Assert.Contains("not-a-directory", error.Message, StringComparison.Ordinal);
        Assert.Null(await cluster.Nodes.TryGetAsync(NamespacedName.Cluster("worker-1"), CancellationToken.None));
    }

    [Fact]
    public void EmptySha256_Should_BeTheDigestSha256sumPrints_When_GivenNoInput()
    {
        // The known value the start-up check compares against, computed here by an independent tool.
        var sha256sum = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sha256sum") { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        sha256sum.StandardInput.Close();
        string printed = sha256sum.StandardOutput.ReadToEnd().Split(' ')[0];
        sha256sum.WaitForExit();

        Assert.Equal(WindowPrerequisites.EmptySha256, printed);
    }
}
