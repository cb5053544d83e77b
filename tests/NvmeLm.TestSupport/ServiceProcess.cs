using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NvmeLm.TestSupport;

/// <summary>
/// One of our long-running programs (<c>nvme-lm-agent run</c>, <c>demo --keep-running</c>) as a real child process:
/// start it, wait for a line it prints, send it a signal, wait for its exit. The child's SIGINT disposition is set
/// explicitly (coreutils <c>env --default-signal</c>/<c>--ignore-signal</c>, Debian 12 has 9.1), since it is
/// otherwise inherited from whoever started the test run: a shell's background job has SIGINT ignored.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Runs <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c>.</summary>
    /// <param name="sigintIgnored">True: start with SIGINT ignored, as a shell starts a background job (<c>cmd &amp;</c>); false: SIGINT as in a foreground job.</param>
    public static ServiceProcess StartDotnet(
        string assembly, IEnumerable<string> arguments, bool sigintIgnored, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(sigintIgnored ? "--ignore-signal=INT" : "--default-signal=INT");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}");
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Append(service._output, e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(service._error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Completes when a line of standard output or error contains <paramref name="text"/>; fails if the process exits first or the time is up.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((text, seen));
        }

        if (Output.Contains(text, StringComparison.Ordinal) || Error.Contains(text, StringComparison.Ordinal))
        {
            seen.TrySetResult();
        }

        using var deadline = new CancellationTokenSource(timeout);
        Task exited = _process.WaitForExitAsync(deadline.Token);
        Task first = await Task.WhenAny(seen.Task, exited);
        if (first != seen.Task)
        {
            throw new InvalidOperationException(
                (_process.HasExited ? $"the process exited ({_process.ExitCode})" : $"{timeout} passed") +
                $" before it printed '{text}'.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, …) with the shell's <c>kill</c> (dash is essential on Debian; procps may be absent).</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start("sh", ["-c", $"kill -s {signal} {Id.ToString(CultureInfo.InvariantCulture)}"]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {Id} exited {kill.ExitCode}");
        }
    }

    /// <summary>The exit code; fails with the output when the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit within {timeout}.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }

        lock (_waiters)
        {
            foreach (var (text, seen) in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
            {
                seen.TrySetResult();
            }
        }
    }
}
