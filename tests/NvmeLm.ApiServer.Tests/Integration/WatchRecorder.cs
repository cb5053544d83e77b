using System.Threading.Channels;
using k8s;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Runs a KubernetesClient watch in the background and hands its events to the test in order.</summary>
public sealed class WatchRecorder<T> : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();

    public WatchRecorder(Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in watch(_stop.Token))
                {
                    _events.Writer.TryWrite(item);
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    /// <summary>Completes when the server ends the stream (or the recorder is disposed).</summary>
    public Task Completion { get; }

    public async Task<List<(WatchEventType Type, T Object)>> TakeAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var result = new List<(WatchEventType, T)>();
        while (result.Count < count)
        {
            result.Add(await _events.Reader.ReadAsync(cts.Token));
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Completion;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // The watch ends with the cancellation.
        }
        _stop.Dispose();
    }
}
