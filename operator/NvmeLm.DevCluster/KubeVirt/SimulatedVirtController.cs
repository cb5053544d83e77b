using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;

namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>
/// Stands in for KubeVirt's virt-controller and virt-handler on a simulated cluster: starts VMIs (Running, with the
/// <c>LiveMigratable</c> condition KubeVirt would set) and moves each VirtualMachineInstanceMigration through its
/// phases one per pass, in KubeVirt's order (reference <c>kubevirt-deviceplugin-helm-facts.md</c> §1). The target
/// node comes from <c>addedNodeSelector</c>'s hostname (there is no scheduler). In <see cref="HostDeviceMigration.Refuse"/>
/// mode a migration of a VMI with host devices fails at once, as KubeVirt ≤ v1.9's admission webhook refuses it. A
/// VMIM deleted before it is final aborts its migration: the target pod ends, the VM stays on the source.
/// </summary>
public sealed class SimulatedVirtController : IAsyncDisposable
{
    private readonly ResourceClient<VirtualMachineInstance> _vmis;
    private readonly ResourceClient<VirtualMachineInstanceMigration> _migrations;
    private readonly VirtControllerOptions _options;
    private readonly ConcurrentDictionary<string, LauncherPod> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SimulatedVirtController(Kubernetes client, VirtControllerOptions options)
    {
        _vmis = new ResourceClient<VirtualMachineInstance>(client);
        _migrations = new ResourceClient<VirtualMachineInstanceMigration>(client);
        _options = options;
    }

    /// <summary>Phases each migration entered, in order (by VMIM name).</summary>
    public Dictionary<string, List<string>> PhasesSeen { get; } = new(StringComparer.Ordinal);

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>Creates a VMI asking for <paramref name="resourceName"/> and runs it on <paramref name="node"/>.</summary>
    public async Task<LauncherPod> StartVmiAsync(string ns, string name, string node, string resourceName, CancellationToken cancellationToken)
    {
        var vmi = await _vmis.CreateAsync(new VirtualMachineInstance
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new VmiSpec { Domain = new VmiDomain { Devices = new VmiDevices { HostDevices = [new VmiHostDevice { Name = "nvme", DeviceName = resourceName }] } } },
        }, cancellationToken).ConfigureAwait(false);
        var pod = NewPod(ns, name, node, migrationUid: null, resourceName);
        await RunPodAsync(pod, cancellationToken).ConfigureAwait(false);
        vmi.Status = new VmiStatus
        {
            Phase = "Running",
            NodeName = node,
            ActivePods = new Dictionary<string, string> { [pod.Uid] = node },
            Conditions = [LiveMigratable(vmi)],
        };
        await _vmis.ReplaceStatusAsync(vmi, cancellationToken).ConfigureAwait(false);
        return pod;
    }

    private VmiCondition LiveMigratable(VirtualMachineInstance vmi) =>
        LiveMigratableCondition(_options.HostDevices == HostDeviceMigration.Migrate || vmi.Spec.Domain.Devices.HostDevices is not { Count: > 0 });

    /// <summary>The condition KubeVirt sets: True, or False with the reason and message v1.9 gives for a generic PCI host device.</summary>
    public static VmiCondition LiveMigratableCondition(bool migratable) => migratable
        ? new VmiCondition { Type = KubeVirtApi.LiveMigratableCondition, Status = "True" }
        : new VmiCondition
        {
            Type = KubeVirtApi.LiveMigratableCondition, Status = "False", Reason = KubeVirtApi.HostDeviceNotLiveMigratable,
            Message = "VMI specifies non-migratable generic PCI host device",
        };

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var migrations = (await _migrations.ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items ?? [];
                foreach (var migration in migrations)
                {
                    if (!VmimPhases.IsFinal(migration.Phase))
                    {
                        await AdvanceAsync(migration, cancellationToken).ConfigureAwait(false);
                    }
                }

                await AbortDeletedAsync(migrations.Select(m => m.Metadata.Uid).OfType<string>().ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);

                await Task.Delay(_options.Pass, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException)
            {
                // A conflict or a migration deleted under us: the next pass re-reads, as a controller would.
            }
        }
    }

    /// <summary>One step: the next phase, or Failed (refused VMI, missing VMI or target, injected failure).</summary>
    private async Task AdvanceAsync(VirtualMachineInstanceMigration migration, CancellationToken cancellationToken)
    {
        var ns = migration.Metadata.NamespaceProperty ?? "default";
        var vmi = await _vmis.TryGetAsync(new NamespacedName(ns, migration.Spec.VmiName), cancellationToken).ConfigureAwait(false);
        var next = VmimPhases.InOrder[VmimPhases.InOrder.ToList().IndexOf(migration.Phase) + 1];
        var refused = vmi is null || LiveMigratable(vmi).Status != "True" || TargetNode(migration) is null || _options.FailAtPhase == next;
        if (refused)
        {
            await FailAsync(migration, vmi, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (next == VmimPhases.Succeeded && _options.LeaveRunningWhen is { } leave && !await leave(migration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (next == VmimPhases.Scheduled)
        {
            var resourceName = vmi!.Spec.Domain.Devices.HostDevices?.FirstOrDefault()?.DeviceName ?? "";
            var target = NewPod(ns, vmi.Metadata.Name, TargetNode(migration)!, migration.Metadata.Uid, resourceName);
            await RunPodAsync(target, cancellationToken).ConfigureAwait(false);
            vmi.Status!.MigrationState = new VmiMigrationState
            {
                SourceNode = vmi.Status.NodeName, TargetNode = target.Node, TargetPod = target.Name, MigrationUid = migration.Metadata.Uid,
            };
            vmi.Status.ActivePods![target.Uid] = target.Node;
            await _vmis.ReplaceStatusAsync(vmi, cancellationToken).ConfigureAwait(false);
        }
        else if (next == VmimPhases.Succeeded)
        {
            await CompleteAsync(vmi!, migration, cancellationToken).ConfigureAwait(false);
        }

        await SetPhaseAsync(migration, next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The VM now runs in the target pod; the source pod ends and its devices are released.</summary>
    private async Task CompleteAsync(VirtualMachineInstance vmi, VirtualMachineInstanceMigration migration, CancellationToken cancellationToken)
    {
        var source = _pods[Key(vmi.Metadata.NamespaceProperty!, vmi.Metadata.Name, null)];
        var target = _pods[Key(vmi.Metadata.NamespaceProperty!, vmi.Metadata.Name, migration.Metadata.Uid)];
        vmi.Status!.NodeName = target.Node;
        vmi.Status.ActivePods = new Dictionary<string, string> { [target.Uid] = target.Node };
        vmi.Status.MigrationState!.Completed = true;
        await _vmis.ReplaceStatusAsync(vmi, cancellationToken).ConfigureAwait(false);
        _pods.TryRemove(Key(target.Namespace, target.Vmi, target.MigrationUid), out _);
        _pods[Key(target.Namespace, target.Vmi, null)] = target;
        await StopPodAsync(source, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(VirtualMachineInstanceMigration migration, VirtualMachineInstance? vmi, CancellationToken cancellationToken)
    {
        if (vmi is not null && _pods.TryRemove(Key(vmi.Metadata.NamespaceProperty!, vmi.Metadata.Name, migration.Metadata.Uid), out var target))
        {
            vmi.Status!.ActivePods?.Remove(target.Uid);
            vmi.Status.MigrationState!.Failed = true;
            await _vmis.ReplaceStatusAsync(vmi, cancellationToken).ConfigureAwait(false);
            await StopPodAsync(target, cancellationToken).ConfigureAwait(false);
        }

        await SetPhaseAsync(migration, VmimPhases.Failed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>KubeVirt aborts a migration whose VMIM is deleted: its target pod ends and the VMI stays on the source.</summary>
    private async Task AbortDeletedAsync(HashSet<string> existing, CancellationToken cancellationToken)
    {
        foreach (var target in _pods.Values.Where(p => p.MigrationUid is { } uid && !existing.Contains(uid)).ToList())
        {
            var vmi = await _vmis.TryGetAsync(new NamespacedName(target.Namespace, target.Vmi), cancellationToken).ConfigureAwait(false);
            if (vmi?.Status is { } status)
            {
                status.ActivePods?.Remove(target.Uid);
                if (status.MigrationState is { } state)
                {
                    state.Failed = true;
                }

                await _vmis.ReplaceStatusAsync(vmi, cancellationToken).ConfigureAwait(false);
            }

            _pods.TryRemove(Key(target.Namespace, target.Vmi, target.MigrationUid), out _);
            await StopPodAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SetPhaseAsync(VirtualMachineInstanceMigration migration, string phase, CancellationToken cancellationToken)
    {
        migration.Status ??= new VmimStatus();
        migration.Status.Phase = phase;
        await _migrations.ReplaceStatusAsync(migration, cancellationToken).ConfigureAwait(false);
        lock (PhasesSeen)
        {
            PhasesSeen.TryAdd(migration.Metadata.Name, []);
            PhasesSeen[migration.Metadata.Name].Add(phase);
        }
    }

    private static string? TargetNode(VirtualMachineInstanceMigration migration) =>
        migration.Spec.AddedNodeSelector?.GetValueOrDefault(WellKnownLabels.Hostname);

    private static LauncherPod NewPod(string ns, string vmi, string node, string? migrationUid, string resourceName) =>
        new(ns, vmi, node, $"virt-launcher-{vmi}-{Guid.NewGuid().ToString("N")[..5]}", Guid.NewGuid().ToString(), migrationUid, resourceName);

    private async Task RunPodAsync(LauncherPod pod, CancellationToken cancellationToken)
    {
        _pods[Key(pod.Namespace, pod.Vmi, pod.MigrationUid)] = pod;
        if (_options.PodStarted is { } started)
        {
            await started(pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopPodAsync(LauncherPod pod, CancellationToken cancellationToken)
    {
        if (_options.PodStopped is { } stopped)
        {
            await stopped(pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Key(string ns, string vmi, string? migrationUid) => $"{ns}/{vmi}/{migrationUid}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
