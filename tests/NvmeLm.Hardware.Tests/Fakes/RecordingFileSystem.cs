using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Tests.Fakes;

/// <summary>
/// Wraps a real <see cref="IHostFileSystem"/>: records every write in order, can fail the next N writes of a
/// path with an errno (what the kernel would answer), and can run a hook after a write succeeds (to show a
/// kernel side effect, such as the driver link appearing after <c>bind</c>).
/// </summary>
internal sealed class RecordingFileSystem : IHostFileSystem
{
    private readonly IHostFileSystem _inner;
    private readonly Dictionary<string, Queue<int>> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<string>> _afterWrite = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<string>> _afterFailedWrite = new(StringComparer.Ordinal);

    public RecordingFileSystem(IHostFileSystem inner) => _inner = inner;

    public List<(string Path, string Value)> Writes { get; } = new();

    /// <summary>Every attempted write, including failed ones.</summary>
    public List<string> Attempts { get; } = new();

    public RecordingFileSystem FailWrite(string path, params int[] errnos)
    {
        if (!_failures.TryGetValue(path, out var queue))
        {
            _failures[path] = queue = new Queue<int>();
        }

        foreach (int errno in errnos)
        {
            queue.Enqueue(errno);
        }

        return this;
    }

    public RecordingFileSystem AfterWrite(string path, Action<string> hook)
    {
        _afterWrite[path] = hook;
        return this;
    }

    /// <summary>Runs after an injected failure of a write, e.g. to show what a concurrent actor did meanwhile.</summary>
    public RecordingFileSystem AfterFailedWrite(string path, Action<string> hook)
    {
        _afterFailedWrite[path] = hook;
        return this;
    }

    public bool Exists(string path) => _inner.Exists(path);

    public string ReadAllText(string path) => _inner.ReadAllText(path);

    public void WriteAllText(string path, string value)
    {
        Attempts.Add(path);
        if (_failures.TryGetValue(path, out var queue) && queue.Count > 0)
        {
            var failure = new HostIoException(queue.Dequeue(), path, $"write '{value}'");
            if (_afterFailedWrite.TryGetValue(path, out var failedHook))
            {
                failedHook(value);
            }

            throw failure;
        }

        _inner.WriteAllText(path, value);
        Writes.Add((path, value));
        if (_afterWrite.TryGetValue(path, out var hook))
        {
            hook(value);
        }
    }

    public string? ReadLink(string path) => _inner.ReadLink(path);

    public IReadOnlyList<string> ListDirectory(string path) => _inner.ListDirectory(path);
}
