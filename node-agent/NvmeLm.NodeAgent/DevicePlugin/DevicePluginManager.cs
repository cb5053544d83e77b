using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The agent's kubelet device plugin (reference kubevirt-deviceplugin-helm-facts.md §3): one socket and one
/// registration per resource name the node's pools use. The agent's sync publishes a <see cref="DeviceSnapshot"/>;
/// health changes reach open ListAndWatch streams at once. A loop (woken by a publish, else every
/// <see cref="DevicePluginSettings.SocketCheckPeriod"/>) serves a new resource before registering it, withdraws a
/// resource no pool uses any more (stream ended, socket removed), and re-registers after a kubelet restart, which it
/// sees as its own socket gone (the kubelet deletes every socket in the directory) or <c>kubelet.sock</c> recreated.
/// </summary>
public sealed class DevicePluginManager
{
    private readonly DevicePluginSettings _settings;
    private readonly IDeviceAllocationObserver _observer;
    private readonly Func<string, IReadOnlyList<string>> _vfioCdevs;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly object _gate = new();
    private readonly Dictionary<string, ResourceDevices> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServedResource> _served = new(StringComparer.Ordinal);
    private DateTime? _kubeletSocketStamp;

    public DevicePluginManager(
        DevicePluginSettings settings, IDeviceAllocationObserver observer, Func<string, IReadOnlyList<string>> vfioCdevs, ILogger logger)
    {
        settings.Validate();
        _settings = settings;
        _observer = observer;
        _vfioCdevs = vfioCdevs;
        _logger = logger;
    }

    public DevicePluginSettings Settings => _settings;

    /// <summary>The devices one sync found: streamed to the kubelet when an ID or a health changed.</summary>
    public void Publish(DeviceSnapshot snapshot)
    {
        bool resourcesChanged;
        lock (_gate)
        {
            resourcesChanged = !_wanted.Keys.Order(StringComparer.Ordinal).SequenceEqual(snapshot.Resources.Keys.Order(StringComparer.Ordinal));
            foreach (string gone in _wanted.Keys.Where(r => !snapshot.Resources.ContainsKey(r)).ToList())
            {
                _wanted.Remove(gone);
            }

            foreach ((string resource, IReadOnlyList<VfDevice> devices) in snapshot.Resources)
            {
                if (!_wanted.TryGetValue(resource, out ResourceDevices? state))
                {
                    state = new ResourceDevices(resource);
                    _wanted[resource] = state;
                }

                state.Update(devices);
            }
        }

        if (resourcesChanged)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Serves, registers and re-registers until cancelled; then withdraws every resource and removes its socket.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_settings.Directory);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(_settings.SocketCheckPeriod);
                try
                {
                    await _wake.Reader.ReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The period passed: check the sockets again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            foreach (ServedResource served in _served.Values)
            {
                served.Devices.Withdraw();
                await served.Server.DisposeAsync().ConfigureAwait(false);
            }

            _served.Clear();
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, ResourceDevices> wanted;
        lock (_gate)
        {
            wanted = new Dictionary<string, ResourceDevices>(_wanted, StringComparer.Ordinal);
        }

        foreach ((string resource, ServedResource served) in _served.Where(s => !wanted.ContainsKey(s.Key)).ToList())
        {
            served.Devices.Withdraw();
            await served.Server.DisposeAsync().ConfigureAwait(false);
            _served.Remove(resource);
            DevicePluginLog.Withdrawn(_logger, resource);
        }

        DateTime? kubeletStamp = KubeletSocketStamp();
        bool kubeletRestarted = kubeletStamp != _kubeletSocketStamp;
        _kubeletSocketStamp = kubeletStamp;
        foreach ((string resource, ResourceDevices devices) in wanted)
        {
            if (!_served.TryGetValue(resource, out ServedResource? served))
            {
                _served[resource] = new ServedResource(devices, await ServeAsync(devices, cancellationToken).ConfigureAwait(false));
            }
            else if (!served.Server.SocketExists)
            {
                DevicePluginLog.SocketGone(_logger, resource);
                await served.Server.DisposeAsync().ConfigureAwait(false);
                served.Server = await ServeAsync(devices, cancellationToken).ConfigureAwait(false);
                served.Registered = false;
            }
            else if (kubeletRestarted)
            {
                served.Registered = false;
            }
        }

        if (kubeletStamp is null)
        {
            return;
        }

        foreach ((string resource, ServedResource served) in _served.Where(s => !s.Value.Registered))
        {
            try
            {
                await KubeletRegistrar.RegisterAsync(_settings.KubeletSocket, resource, Path.GetFileName(served.Server.SocketPath),
                    _settings.KubeletCallTimeout, cancellationToken).ConfigureAwait(false);
                served.Registered = true;
                DevicePluginLog.Registered(_logger, resource, _settings.KubeletSocket);
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException)
            {
                DevicePluginLog.RegisterFailed(_logger, resource, ex.Message);
            }
        }
    }

    private async Task<ResourcePluginServer> ServeAsync(ResourceDevices devices, CancellationToken cancellationToken)
    {
        string socket = Path.Combine(_settings.Directory, DevicePluginSettings.EndpointFor(devices.ResourceName));
        ResourcePluginServer server = await ResourcePluginServer.StartAsync(
            socket, new ResourcePluginContext(devices, _observer, _vfioCdevs, _logger), cancellationToken).ConfigureAwait(false);
        DevicePluginLog.Serving(_logger, devices.ResourceName, socket);
        return server;
    }

    /// <summary>When <c>kubelet.sock</c> was created (null while absent): a new stamp is a new kubelet.</summary>
    private DateTime? KubeletSocketStamp() =>
        File.Exists(_settings.KubeletSocket) ? File.GetLastWriteTimeUtc(_settings.KubeletSocket) : null;
}
