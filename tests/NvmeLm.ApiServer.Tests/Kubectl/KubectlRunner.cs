using System.Diagnostics;
using System.Text;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>Runs kubectl against one server's kubeconfig with a private discovery cache.</summary>
public sealed class KubectlRunner : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly string _kubeConfig;
    private readonly DirectoryInfo _cacheDir = Directory.CreateTempSubdirectory("nvmelm-kubectl-cache-");

    public KubectlRunner(string kubeConfig) => _kubeConfig = kubeConfig;

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {s_timeout}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (e.g. <c>get -w</c>) whose output lines the test reads as they come.</summary>
    public RunningKubectl StartStreaming(params string[] args) => new(Start(args));

    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(KubeTools.KubectlPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeConfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(_cacheDir.FullName);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
    }

    public void Dispose() => _cacheDir.Delete(recursive: true);
}
