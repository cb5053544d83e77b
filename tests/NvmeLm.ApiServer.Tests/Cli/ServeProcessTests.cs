using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Cli;

/// <summary>
/// <c>serve</c> as a real process: each stop signal ends it with exit 0. SIGQUIT used to be claimed by the web host's
/// console lifetime, which stopped the API silently and left the process running without it.
/// </summary>
public sealed class ServeProcessTests
{
    [Theory]
    [InlineData("TERM", true)]
    [InlineData("INT", false)]
    [InlineData("QUIT", true)]
    public async Task Serve_Should_StopAndExitZero_When_Signalled(string signal, bool sigintIgnored)
    {
        await using var process = ServiceProcess.StartDotnet(Path.Combine(AppContext.BaseDirectory, "NvmeLm.ApiServer.dll"),
            ["serve", "--port", "0"], sigintIgnored);
        await process.WaitForLineAsync("API server listening on", TimeSpan.FromMinutes(1));

        await process.SignalAsync(signal);

        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit} after SIG{signal}:\n{process.Output}\n{process.Error}");
        Assert.Contains("stopping", process.Output, StringComparison.Ordinal);
    }
}
