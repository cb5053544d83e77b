using System.Collections.Concurrent;
using k8s.Models;
using NvmeLm.DevCluster.KubeVirt;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>The simulated virt-controller the bridge's tests and the demo run against behaves like KubeVirt's.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SimulatedVirtControllerTests
{
    private const string Ns = OperatorTestCluster.Namespace;

    [Fact]
    public async Task Refuse_Should_MarkTheVmiNotLiveMigratableAndFailItsMigration_When_TheVmiHasAHostDevice()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await using var kubevirt = new SimulatedVirtController(cluster.Admin, new VirtControllerOptions { HostDevices = HostDeviceMigration.Refuse });
        kubevirt.Start();
        await kubevirt.StartVmiAsync(Ns, "vm-1", OperatorTestCluster.NodeA, "nvmelm.io/migratable-vf", CancellationToken.None);

        var failed = await MigrateAsync(cluster, "vm-1", OperatorTestCluster.NodeB, VmimPhases.Failed);

        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(("False", KubeVirtApi.HostDeviceNotLiveMigratable), (vmi.LiveMigratable!.Status, vmi.LiveMigratable.Reason));
        Assert.Equal([VmimPhases.Failed], kubevirt.PhasesSeen[failed.Metadata.Name]);
        Assert.Equal(OperatorTestCluster.NodeA, vmi.Status!.NodeName);
    }

    [Fact]
    public async Task Migrate_Should_GoThroughKubeVirtsPhasesAndMoveTheVmi_When_HostDevicesMigrate()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        var started = new ConcurrentQueue<LauncherPod>();
        var stopped = new ConcurrentQueue<LauncherPod>();
        await using var kubevirt = new SimulatedVirtController(cluster.Admin, new VirtControllerOptions
        {
            HostDevices = HostDeviceMigration.Migrate,
            PodStarted = (pod, _) => { started.Enqueue(pod); return Task.CompletedTask; },
            PodStopped = (pod, _) => { stopped.Enqueue(pod); return Task.CompletedTask; },
        });
        kubevirt.Start();
        var source = await kubevirt.StartVmiAsync(Ns, "vm-1", OperatorTestCluster.NodeA, "nvmelm.io/migratable-vf", CancellationToken.None);

        var done = await MigrateAsync(cluster, "vm-1", OperatorTestCluster.NodeB, VmimPhases.Succeeded);

        Assert.Equal(VmimPhases.InOrder.Skip(1), kubevirt.PhasesSeen[done.Metadata.Name]);
        var target = Assert.Single(started, p => p.MigrationUid == done.Metadata.Uid);
        Assert.Equal(OperatorTestCluster.NodeB, target.Node);
        Assert.Equal([source], stopped);
        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(OperatorTestCluster.NodeB, vmi.Status!.NodeName);
        Assert.Equal(new Dictionary<string, string> { [target.Uid] = OperatorTestCluster.NodeB }, vmi.Status.ActivePods);
        Assert.True(vmi.Status.MigrationState!.Completed);
    }

    [Fact]
    public async Task FailAtPhase_Should_FailMidWayAndLeaveTheVmiOnTheSource_When_Injected()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        var stopped = new ConcurrentQueue<LauncherPod>();
        await using var kubevirt = new SimulatedVirtController(cluster.Admin, new VirtControllerOptions
        {
            HostDevices = HostDeviceMigration.Migrate,
            FailAtPhase = VmimPhases.Running,
            PodStopped = (pod, _) => { stopped.Enqueue(pod); return Task.CompletedTask; },
        });
        kubevirt.Start();
        var source = await kubevirt.StartVmiAsync(Ns, "vm-1", OperatorTestCluster.NodeA, "nvmelm.io/migratable-vf", CancellationToken.None);

        var failed = await MigrateAsync(cluster, "vm-1", OperatorTestCluster.NodeB, VmimPhases.Failed);

        Assert.Equal([VmimPhases.Scheduling, VmimPhases.Scheduled, VmimPhases.PreparingTarget, VmimPhases.TargetReady, VmimPhases.Failed],
            kubevirt.PhasesSeen[failed.Metadata.Name]);
        var target = Assert.Single(stopped);
        Assert.Equal((OperatorTestCluster.NodeB, failed.Metadata.Uid), (target.Node, target.MigrationUid));
        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(OperatorTestCluster.NodeA, vmi.Status!.NodeName);
        Assert.Equal(new Dictionary<string, string> { [source.Uid] = OperatorTestCluster.NodeA }, vmi.Status.ActivePods);
        Assert.True(vmi.Status.MigrationState!.Failed);
    }

    private static async Task<VirtualMachineInstanceMigration> MigrateAsync(OperatorTestCluster cluster, string vmi, string targetNode, string expectedPhase)
    {
        var migrations = new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin);
        var created = await migrations.CreateAsync(new VirtualMachineInstanceMigration
        {
            Metadata = new V1ObjectMeta { Name = $"{vmi}-migration", NamespaceProperty = Ns },
            Spec = new VmimSpec { VmiName = vmi, AddedNodeSelector = new Dictionary<string, string> { [WellKnownLabels.Hostname] = targetNode } },
        }, CancellationToken.None);
        var final = await Eventually.ValueAsync(() => migrations.TryGetAsync(NamespacedName.Of(created), CancellationToken.None),
            m => m is not null && VmimPhases.IsFinal(m.Phase), $"{created.Metadata.Name} finished");
        Assert.Equal(expectedPhase, final!.Phase);
        return final;
    }
}
