using k8s;
using NvmeLm.DevCluster.KubeVirt;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.DevCluster;

/// <summary>
/// One emulated node: the Kubernetes Node object's name, an <see cref="EmulatedHost"/> that outlives agents (the
/// hardware), a journal directory that outlives agents (the hostPath), and the current <see cref="NodeAgentHost"/>,
/// which can be stopped and started again like a restarted DaemonSet pod.
/// </summary>
public sealed class SimulatedNode : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly AgentTuning _tuning;
    private readonly SimulatedKubelet? _kubelet;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal SimulatedNode(SimulatedNodeSpec spec, int index, EmulatedHost host, string journalDirectory, Kubernetes client,
        AgentTuning tuning, SimulatedKubelet? kubelet = null)
    {
        _kubelet = kubelet;
        Spec = spec;
        Index = index;
        Host = host;
        JournalDirectory = journalDirectory;
        _client = client;
        _tuning = tuning;
    }

    public string Name => Spec.Name;

    public SimulatedNodeSpec Spec { get; }

    /// <summary>Position in the cluster (0-based); also part of the PFs' serial numbers.</summary>
    public int Index { get; }

    /// <summary>The node's hardware: fault injection (<c>Host.Faults</c>) and the write log (<c>Host.WriteLog</c>).</summary>
    public EmulatedHost Host { get; }

    public string JournalDirectory { get; }

    /// <summary>The identity the agent's API requests carry (for audit and API fault matching).</summary>
    public string Identity => AgentIdentity(Name);

    /// <summary>The running agent, or null while it is stopped.</summary>
    public NodeAgentHost? Agent { get; private set; }

    /// <summary>How many times an agent was started on this node.</summary>
    public int AgentStarts { get; private set; }

    public static string AgentIdentity(string nodeName) => "system:node:" + nodeName;

    /// <summary>The host journal as the agent left it (what it changed and for whom).</summary>
    public IReadOnlyList<PfJournalRecord> ReadJournal() => new HostJournal(JournalDirectory).ReadAll();

    public async Task StartAgentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Agent is not null)
            {
                return;
            }

            var options = new NodeAgentOptions
            {
                NodeName = Name,
                Kubernetes = _client,
                Hardware = Host.CreateHardware(),
                JournalDirectory = JournalDirectory,
                ResyncPeriod = _tuning.ResyncPeriod,
                HeartbeatPeriod = _tuning.HeartbeatPeriod,
                WatchTimeout = _tuning.WatchTimeout,
                StallTimeout = _tuning.StallTimeout,
                LoggerFactory = _tuning.LoggerFactory,
                DevicePlugin = _tuning.DevicePlugin?.Invoke(Name),
                PodResourcesPollPeriod = _tuning.PodResourcesPollPeriod,
            };
            if (_kubelet is not null)
            {
                options = options with
                {
                    PodResources = _kubelet.PodResourcesOf(Name), PodUids = _kubelet, PodResourcesPollPeriod = SimulatedKubelet.PodResourcesPollPeriod,
                };
            }

            Agent = await NodeAgentHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
            AgentStarts++;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the agent (cancelling an in-flight reconcile); hardware and journal stay as they are.</summary>
    public async Task StopAgentAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Agent is { } agent)
            {
                Agent = null;
                await agent.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kill and restart: a new agent on the same hardware and journal.</summary>
    public async Task RestartAgentAsync(CancellationToken cancellationToken)
    {
        await StopAgentAsync().ConfigureAwait(false);
        await StartAgentAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync().ConfigureAwait(false);
        _client.Dispose();
        _gate.Dispose();
    }
}
