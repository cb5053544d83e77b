using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Gc;

/// <summary>
/// Runs the garbage collector and the termination controller on a short interval, skipping a round
/// when nothing was written since the last one (so an idle server does no work).
/// </summary>
public sealed class BackgroundControllers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public BackgroundControllers(ObjectStore store, GarbageCollector collector, TerminationController termination, TimeSpan interval)
    {
        _loop = Task.Run(() => RunAsync(store, collector, termination, interval, _stop.Token));
    }

    /// <summary>Rounds that failed unexpectedly (kept for diagnosis; a failing round is retried next tick).</summary>
    public Exception? LastError { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        _stop.Dispose();
    }

    private async Task RunAsync(ObjectStore store, GarbageCollector collector, TerminationController termination, TimeSpan interval, CancellationToken cancellationToken)
    {
        long seen = -1;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            long current = store.CurrentResourceVersion;
            if (current == seen)
            {
                continue;
            }
            seen = current;
            try
            {
                termination.Scan();
                collector.Scan();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LastError = e;
            }
        }
    }
}
