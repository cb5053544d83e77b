using System.Threading.Channels;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// One open watch on a stored collection. Events arrive in resourceVersion order. A subscriber that
/// falls too far behind, or that the fault injector closes, sees the channel complete and must end its
/// stream, like a watch that kube-apiserver terminates.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<StoreEvent> _channel;
    private readonly WatchHub _hub;

    internal WatchSubscription(WatchHub hub, StorageKey storage, int capacity)
    {
        _hub = hub;
        Storage = storage;
        _channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public StorageKey Storage { get; }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    /// <summary>Asks for a BOOKMARK carrying the current resourceVersion, queued behind every event already delivered.</summary>
    public void RequestBookmark() => _hub.EnqueueBookmark(this);

    /// <summary>Ends the stream (the subscriber finishes reading what is queued, then stops).</summary>
    public void Close() => _channel.Writer.TryComplete();

    public void Dispose() => _hub.Unsubscribe(this);

    /// <summary>Called under the store lock; a full queue means the subscriber is too slow and is cut off.</summary>
    internal void Deliver(StoreEvent storeEvent)
    {
        if (!_channel.Writer.TryWrite(storeEvent))
        {
            _channel.Writer.TryComplete();
        }
    }
}
