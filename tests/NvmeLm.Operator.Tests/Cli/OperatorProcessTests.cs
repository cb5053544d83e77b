using System.Diagnostics;
using System.Globalization;
using System.Text;
using NvmeLm.Operator.Cli;
using NvmeLm.Operator.Tests.Infrastructure;

namespace NvmeLm.Operator.Tests.Cli;

/// <summary>
/// The operator as its Deployment runs it: its own process, stopped by SIGTERM (what the kubelet sends). Before the
/// fix System.CommandLine left SIGTERM alone (no ProcessTerminationTimeout) and the health server's ConsoleLifetime
/// took it, so the operator never stopped (found by the QEMU e2e, cluster.stop.operator).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperatorProcessTests
{
    [Fact]
    public async Task Operator_Should_StopItsControllersAndExitZero_When_Sigterm()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                typeof(OperatorCommand).Assembly.Location, "--kubeconfig", cluster.Server.KubeConfigPath,
                "--leader-elect", "false", "--metrics-port", "0",
            },
        };
        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the operator");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains("Operator started", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Bounds on events (started, exited), not sleeps: they only end a hang.
            await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}, output:\n{output}");
        Assert.Contains("Operator stopped", output.ToString(), StringComparison.Ordinal);
    }
}
