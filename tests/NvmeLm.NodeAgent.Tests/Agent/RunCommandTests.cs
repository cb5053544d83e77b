using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Commands;

namespace NvmeLm.NodeAgent.Tests.Agent;

[Collection(AgentCollection.Name)]
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_Should_FailWithUsageError_When_NoNodeNameIsGiven()
    {
        string? saved = Environment.GetEnvironmentVariable(RunCommand.NodeNameVariable);
        Environment.SetEnvironmentVariable(RunCommand.NodeNameVariable, null);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();

            int code = await AgentCli.RunAsync(["run", "--hardware", "emulated"], output, error);

            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains("--node-name", error.ToString(), StringComparison.Ordinal);
            Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunCommand.NodeNameVariable, saved);
        }
    }

    [Fact]
    public async Task Run_Should_FailWithUsageError_When_ResyncIsNotPositive()
    {
        var error = new StringWriter();

        int code = await AgentCli.RunAsync(["run", "--node-name", "worker-1", "--resync-seconds", "0"], new StringWriter(), error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--resync-seconds", error.ToString(), StringComparison.Ordinal);
    }
}
