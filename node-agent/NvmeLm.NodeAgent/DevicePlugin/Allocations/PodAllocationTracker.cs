using System.Threading.Channels;
using Grpc.Core;
using k8s;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.DevicePlugin.Allocations;

/// <summary>
/// Which container has which pool VF, from the PodResources source: polled every period and soon after each of the
/// plugin's Allocate answers, restricted to the resources the node's pools use. A change raises <see cref="Changed"/>
/// (the agent then writes <c>allocatedTo</c> into its NvmeNode status). Pod UIDs are looked up once per pod.
/// </summary>
public sealed class PodAllocationTracker : IDeviceAllocationObserver
{
    /// <summary>How long after an Allocate answer the kubelet is given to record it before PodResources is listed.</summary>
    public static readonly TimeSpan AllocateSettleTime = TimeSpan.FromMilliseconds(500);

    private readonly IPodResourcesSource _source;
    private readonly IPodUidResolver? _uids;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;
    private readonly Channel<TimeSpan> _wake = Channel.CreateBounded<TimeSpan>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<(string Namespace, string Pod), string> _uidCache = [];
    private readonly object _gate = new();
    private IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> _allocations = new Dictionary<string, IReadOnlyList<PodAllocation>>(StringComparer.Ordinal);
    private DeviceSnapshot _devices = DeviceSnapshot.Empty;
    private string _fingerprint = "{}";

    public PodAllocationTracker(IPodResourcesSource source, IPodUidResolver? uids, TimeSpan period, ILogger logger)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "the PodResources poll period must be positive");
        }

        _source = source;
        _uids = uids;
        _period = period;
        _logger = logger;
    }

    /// <summary>Raised (on the tracker's loop) when the allocations changed.</summary>
    public event Action? Changed;

    /// <summary>Bumped on every change; the agent compares it with the version its last status carried.</summary>
    public long Version { get; private set; }

    /// <summary>The containers each VF (by PCI address) is allocated to; a free VF is absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PodAllocation>> Allocations
    {
        get
        {
            lock (_gate)
            {
                return _allocations;
            }
        }
    }

    /// <summary>The node's pool devices (which resources count, and each VF's PF).</summary>
    public void Track(DeviceSnapshot devices)
    {
        lock (_gate)
        {
            _devices = devices;
        }
    }

    /// <summary>List again now (e.g. the simulated cluster changed its in-memory source).</summary>
    public void RefreshSoon() => _wake.Writer.TryWrite(TimeSpan.Zero);

    public void Allocated(string resourceName, IReadOnlyList<string> deviceIds) => _wake.Writer.TryWrite(AllocateSettleTime);

    public IReadOnlyDictionary<string, int> InUsePerPf()
    {
        lock (_gate)
        {
            var pfOf = _devices.Resources.Values.SelectMany(d => d).ToDictionary(d => d.Id, d => d.Pf, StringComparer.Ordinal);
            return _allocations.Keys.Where(pfOf.ContainsKey).GroupBy(id => pfOf[id], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(_period);
                try
                {
                    TimeSpan settle = await _wake.Reader.ReadAsync(tick.Token).ConfigureAwait(false);
                    if (settle > TimeSpan.Zero)
                    {
                        await Task.Delay(settle, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The period passed: list again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    /// <summary>One listing; keeps the previous allocations when the source cannot be read (a restarting kubelet).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<PodDevices> listed;
        try
        {
            listed = await _source.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException)
        {
            DevicePluginLog.PodResourcesFailed(_logger, ex.Message);
            return;
        }

        HashSet<string> resources;
        lock (_gate)
        {
            resources = [.. _devices.Resources.Keys];
        }

        var byDevice = new SortedDictionary<string, List<PodAllocation>>(StringComparer.Ordinal);
        foreach (PodDevices entry in listed.Where(p => resources.Contains(p.ResourceName)))
        {
            string? uid = await UidAsync(entry.Namespace, entry.Pod, cancellationToken).ConfigureAwait(false);
            foreach (string id in entry.DeviceIds)
            {
                if (!byDevice.TryGetValue(id, out List<PodAllocation>? list))
                {
                    list = [];
                    byDevice[id] = list;
                }

                if (!list.Any(a => a.Namespace == entry.Namespace && a.Pod == entry.Pod && a.Container == entry.Container))
                {
                    list.Add(new PodAllocation { Namespace = entry.Namespace, Pod = entry.Pod, Container = entry.Container, PodUid = uid });
                }
            }
        }

        ForgetGonePods(listed);
        string fingerprint = KubernetesJson.Serialize(byDevice);
        lock (_gate)
        {
            if (fingerprint == _fingerprint)
            {
                return;
            }

            _fingerprint = fingerprint;
            _allocations = byDevice.ToDictionary(e => e.Key, e => (IReadOnlyList<PodAllocation>)e.Value, StringComparer.Ordinal);
            Version++;
        }

        DevicePluginLog.AllocationsChanged(_logger, byDevice.Count);
        Changed?.Invoke();
    }

    private async Task<string?> UidAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        if (_uidCache.TryGetValue((@namespace, pod), out string? cached))
        {
            return cached;
        }

        if (_uids is null)
        {
            return null;
        }

        string? uid = await _uids.ResolveAsync(@namespace, pod, cancellationToken).ConfigureAwait(false);
        if (uid is null)
        {
            DevicePluginLog.PodUidUnknown(_logger, @namespace, pod, "not found or not permitted");
            return null;
        }

        _uidCache[(@namespace, pod)] = uid;
        return uid;
    }

    /// <summary>A pod gone from the kubelet may come back under the same name with a new UID: look it up again then.</summary>
    private void ForgetGonePods(IReadOnlyList<PodDevices> listed)
    {
        var present = listed.Select(p => (p.Namespace, p.Pod)).ToHashSet();
        foreach ((string, string) gone in _uidCache.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _uidCache.Remove(gone);
        }
    }
}
