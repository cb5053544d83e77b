using System.Text.RegularExpressions;
using NvmeLm.DevCluster;
using NvmeLm.TestSupport;

namespace NvmeLm.Integration.Tests;

/// <summary><c>demo --keep-running</c> as a real process: a signal stops it cleanly and its work directory goes with it.</summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class DemoProcessTests
{
    /// <summary>
    /// <c>kill PID</c> (SIGTERM) must work also for a background job, whose SIGINT the shell ignores; Ctrl+C (SIGINT)
    /// in a terminal.
    /// </summary>
    [Theory]
    [InlineData("TERM", true)]
    [InlineData("INT", false)]
    public async Task KeepRunning_Should_StopCleanlyAndRemoveItsWorkDirectory_When_Signalled(string signal, bool sigintIgnored)
    {
        await using var demo = ServiceProcess.StartDotnet(Path.Combine(AppContext.BaseDirectory, "NvmeLm.DevCluster.dll"),
            ["demo", "--keep-running", "--quiet"], sigintIgnored);
        await demo.WaitForLineAsync("The cluster keeps running", TimeSpan.FromMinutes(3));
        string kubeconfig = KubeconfigLine().Match(demo.Output).Groups["path"].Value;
        string work = Path.GetDirectoryName(kubeconfig)!;
        Assert.True(File.Exists(kubeconfig), $"no kubeconfig at '{kubeconfig}':\n{demo.Output}");

        await demo.SignalAsync(signal);

        int exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == DemoRunner.ExitPassed, $"exit {exit} after SIG{signal}:\n{demo.Output}\n{demo.Error}");
        Assert.EndsWith("stopping", demo.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(work), $"the work directory {work} is still there");
    }

    [GeneratedRegex(@"kubeconfig: (?<path>\S+)")]
    private static partial Regex KubeconfigLine();
}
