using System.Diagnostics;
using System.Threading.Channels;

namespace NvmeLm.ApiServer.Tests.Kubectl;

/// <summary>A kubectl process whose stdout lines are collected as they are printed.</summary>
public sealed class RunningKubectl : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task<string> _stderr;

    public RunningKubectl(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is string line)
            {
                _lines.Writer.TryWrite(line);
            }
            _lines.Writer.TryComplete();
        });
    }

    public bool HasExited => _process.HasExited;

    public async Task<string> NextLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no kubectl output within {timeout}; stderr so far: {(_stderr.IsCompleted ? _stderr.Result : "(running)")}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
