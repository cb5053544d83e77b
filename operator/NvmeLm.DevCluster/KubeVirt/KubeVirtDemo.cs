using k8s.Models;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.DevCluster.KubeVirt;

/// <summary>
/// <c>demo --kubevirt</c> (issue 11): two emulated nodes with KubeVirt's VMI/VMIM CRDs, the simulated virt-controller
/// and the simulated kubelet (launcher pods get their VFs through the device plugin's preference; the agents learn the
/// allocations from PodResources). A VMI with a pool VF is migrated twice, each time with <c>stateTransfer: Vmm</c>:
/// first under today's KubeVirt, which refuses VMIs with host devices (the NvmeMigration fails at validation, zero
/// writes); then under a hypothetical KubeVirt that migrates VFIO devices (the VMI ends on the destination, its pod
/// holding exactly the prepared VF, and the source VF is back in its pool). Exit 0 when both end so.
/// </summary>
public sealed class KubeVirtDemo(DemoOptions options, TextWriter output)
{
    public const string RefuseLabel = "KubeVirt ≤ v1.9: refuses host devices";
    public const string MigrateLabel = "hypothetical: a KubeVirt + kernel with an NVMe VFIO variant driver";
    private const string Ns = "default";
    private const string SourceNode = "worker-1";
    private const string DestinationNode = "worker-2";
    private const string ResourceName = "nvmelm.io/migratable-vf";

    /// <summary>How long the agents get to report an allocation change (they list PodResources every 200 ms).</summary>
    private static readonly TimeSpan s_reportTimeout = TimeSpan.FromSeconds(20);

    public KubeVirtDemoReport? Report { get; private set; }

    public async Task<int> RunAsync(string work, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var layout = DemoLayout.For(2, 1, pairwise: false);
        Progress("Starting the embedded API server with KubeVirt's VMI/VMIM CRDs, 2 emulated nodes, a simulated kubelet and the operator…");
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = SimulatedClusterOptions.NodeSpecs(2, layout.PfsPerNode),
            WorkDirectory = work,
            LoggerFactory = loggers,
            Operators = 0,
            SimulatedKubelet = true,
            Migrations = new MigrationOptions { PollInterval = TimeSpan.FromMilliseconds(500) },
        }, cancellationToken).ConfigureAwait(false);
        // Before the operator starts: it asks once at start whether KubeVirt is served.
        await CrdInstaller.ApplyAsync(cluster.Admin, ClusterManifests.KubeVirtCrds(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        await cluster.StartOperatorAsync(cancellationToken).ConfigureAwait(false);
        await cluster.ApplySamplePoolAsync(layout.PoolNumVfsOverride, cancellationToken).ConfigureAwait(false);
        await cluster.WaitForProvisionedAsync(n => layout.VfsPerPf * n.Spec.PfCount, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);

        var refused = await RunScenarioAsync(cluster, HostDeviceMigration.Refuse, RefuseLabel, "vm-today", cancellationToken).ConfigureAwait(false);
        var migrated = await RunScenarioAsync(cluster, HostDeviceMigration.Migrate, MigrateLabel, "vm-1", cancellationToken).ConfigureAwait(false);
        var problems = KubeVirtDemoCheck.Problems(refused, migrated, DestinationNode);
        Report = new KubeVirtDemoReport { Passed = problems.Count == 0, Problems = problems, Scenarios = [refused, migrated] };
        if (options.Json)
        {
            await output.WriteLineAsync(DemoJson.Serialize(Report)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(Report.Passed ? "PASSED" : "FAILED: " + string.Join("; ", problems)).ConfigureAwait(false);
        }

        return Report.Passed ? DemoRunner.ExitPassed : DemoRunner.ExitFailed;
    }

    private async Task<KubeVirtScenario> RunScenarioAsync(
        SimulatedCluster cluster, HostDeviceMigration mode, string label, string vmiName, CancellationToken cancellationToken)
    {
        Progress($"[{label}]");
        var kubelet = cluster.Kubelet!;
        var migrationName = vmiName + "-move";
        await using var kubevirt = new SimulatedVirtController(cluster.Admin, new VirtControllerOptions
        {
            HostDevices = mode,
            PodStarted = async (pod, ct) => await kubelet.AllocateAsync(pod, ct).ConfigureAwait(false),
            PodStopped = (pod, _) =>
            {
                kubelet.Release(pod);
                return Task.CompletedTask;
            },
            // A real memory copy takes seconds; the operator verifies the target pod's VF meanwhile.
            LeaveRunningWhen = async (_, ct) =>
                (await cluster.Migrations.GetAsync(new NamespacedName(Ns, migrationName), ct).ConfigureAwait(false)).Status?.Steps?
                    .Any(s => s.Name == KubeVirtDemoCheck.VerifyTargetPod && s.Result == StepResult.Succeeded) == true,
        });
        kubevirt.Start();
        var launcher = await kubevirt.StartVmiAsync(Ns, vmiName, SourceNode, ResourceName, cancellationToken).ConfigureAwait(false);
        var sourceVf = await AllocatedVfAsync(cluster, SourceNode, launcher.Uid, cancellationToken).ConfigureAwait(false);
        Progress($"  VMI {vmiName} runs on {SourceNode}; its virt-launcher pod {launcher.Name} holds VF {sourceVf}");

        var auditMark = cluster.Server.Audit.Snapshot().Count;
        await cluster.Migrations.CreateAsync(new V1Alpha1NvmeMigration
        {
            Metadata = new V1ObjectMeta { Name = migrationName, NamespaceProperty = Ns },
            Spec = new V1Alpha1NvmeMigration.EntitySpec
            {
                VmiName = vmiName,
                Source = new MigrationSource { Node = SourceNode },
                Destination = new MigrationDestination { Node = DestinationNode },
                StateTransfer = StateTransferMode.Vmm,
            },
        }, cancellationToken).ConfigureAwait(false);
        var done = await cluster.WaitForTerminalAsync(migrationName, options.Timeout, cancellationToken).ConfigureAwait(false);
        var writes = cluster.Server.Audit.Snapshot().Skip(auditMark).Count(r => r.IsWrite
            && r.Identity.StartsWith(SimulatedCluster.OperatorIdentity(""), StringComparison.Ordinal)
            && r.Resource is "nvmenodes" or VirtualMachineInstanceMigration.Plural);

        var vmi = await new ResourceClient<VirtualMachineInstance>(cluster.Admin).GetAsync(new NamespacedName(Ns, vmiName), cancellationToken).ConfigureAwait(false);
        var vmiNode = vmi.Status?.NodeName;
        var podUid = vmi.Status?.ActivePods?.Keys.FirstOrDefault();
        var podVf = vmiNode is null || podUid is null ? null : await AllocatedVfAsync(cluster, vmiNode, podUid, cancellationToken).ConfigureAwait(false);
        var scenario = new KubeVirtScenario
        {
            Label = label,
            Vmi = vmiName,
            Migration = migrationName,
            Phase = done.Status!.Phase.ToString()!,
            FailureReason = done.Status.FailureReason,
            Steps = [.. (done.Status.Steps ?? []).Select(s => $"{s.Name} {s.Node} {s.Result}{(s.Message is { } m ? ": " + m : "")}")],
            OperatorWrites = writes,
            VmiNode = vmiNode,
            VmiPodVf = podVf,
            PreparedVf = done.Status.Destination?.VfAddress,
            SourceVf = sourceVf,
            SourceVfBackInPool = done.Status.Phase == MigrationPhase.Succeeded && await BackInPoolAsync(cluster, sourceVf, cancellationToken).ConfigureAwait(false),
        };
        foreach (var step in scenario.Steps)
        {
            Progress("  " + step);
        }

        Progress($"  => {scenario.Phase}{(scenario.FailureReason is { } reason ? " (" + reason + ")" : "")}; VMI on {vmiNode}, its pod holds VF {podVf}; "
            + $"operator writes to NvmeNodes/VMIMs: {writes}"
            + (done.Status.Phase == MigrationPhase.Succeeded ? $"; source VF {sourceVf} back in the pool: {scenario.SourceVfBackInPool}" : ""));
        return scenario;
    }

    /// <summary>The VF the node's agent reports allocated to the pod with <paramref name="podUid"/> (it reports asynchronously).</summary>
    private static async Task<string?> AllocatedVfAsync(SimulatedCluster cluster, string node, string podUid, CancellationToken cancellationToken)
    {
        string? found = null;
        await PollAsync(async () =>
        {
            var nvmeNode = await cluster.NvmeNodes.GetAsync(NamespacedName.Cluster(node), cancellationToken).ConfigureAwait(false);
            found = Secondaries(nvmeNode).FirstOrDefault(s => s.AllocatedTo?.Any(a => a.PodUid == podUid) == true)?.VfAddress;
            return found is not null;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>The source VF is a pool VF again: reported role Pool and allocated to no pod.</summary>
    private static Task<bool> BackInPoolAsync(SimulatedCluster cluster, string? vf, CancellationToken cancellationToken) =>
        PollAsync(async () =>
        {
            var nvmeNode = await cluster.NvmeNodes.GetAsync(NamespacedName.Cluster(SourceNode), cancellationToken).ConfigureAwait(false);
            return Secondaries(nvmeNode).Any(s => s.VfAddress == vf && s.Role == SecondaryRole.Pool && s.AllocatedTo is null);
        }, cancellationToken);

    private static IEnumerable<SecondaryControllerStatus> Secondaries(V1Alpha1NvmeNode node) =>
        (node.Status?.PhysicalFunctions ?? []).SelectMany(p => p.Secondaries ?? []);

    /// <summary>Reads until <paramref name="condition"/> holds or the agents' report time is up (then false).</summary>
    private static async Task<bool> PollAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + s_reportTimeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private void Progress(string message)
    {
        if (!options.Quiet && !options.Json)
        {
            output.WriteLine(message);
        }
    }
}
