using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster.KubeVirt;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;
using NvmeLm.Operator.KubeVirt;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.KubeVirt;

/// <summary>
/// Issue 11: <c>stateTransfer: Vmm</c> against the simulated virt-controller: the operator prepares both ends through
/// the agents, creates the VMIM and follows it; KubeVirt/QEMU (simulated) move the VM; the agents never move state.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class VmmMigrationTests
{
    private const string Ns = OperatorTestCluster.Namespace;
    private static readonly string[] StateSteps = [StepNames.Suspend, StepNames.SaveState, StepNames.RestoreState, StepNames.Resume];

    [Fact]
    public async Task VmmMigration_Should_CreateTheVmimFollowItAndReleaseTheSource_When_KubeVirtMigratesTheVm()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        await using var kubevirt = StartVirtController(cluster, new SimulatedKubelet(cluster.NvmeNodes), HostDeviceMigration.Migrate);
        await StartVmAsync(cluster, kubevirt);

        var created = await CreateAsync(cluster, "vm-1-move");
        var done = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Succeeded);

        var vmim = await new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin).GetAsync(new NamespacedName(Ns, "nvmelm-" + created.Metadata.Uid), CancellationToken.None);
        Assert.Equal(VmimPhases.Succeeded, vmim.Phase);
        Assert.Equal(vmim.Metadata.Name, done.Status!.KubevirtMigration);
        Assert.Equal("vm-1", vmim.Spec.VmiName);
        Assert.Equal(OperatorTestCluster.NodeB, vmim.Spec.AddedNodeSelector![WellKnownLabels.Hostname]);
        var owner = Assert.Single(vmim.Metadata.OwnerReferences);
        Assert.Equal((V1Alpha1NvmeMigration.KindName, created.Metadata.Uid), (owner.Kind, owner.Uid));
        Assert.Equal(VmimPhases.InOrder.Skip(1), kubevirt.PhasesSeen[vmim.Metadata.Name]);
        Assert.Equal(VmimPhases.InOrder.Select(VmimProgress.StepName),
            done.Status!.Steps!.Where(s => s.Name.StartsWith(VmimProgress.StepPrefix, StringComparison.Ordinal)).Select(s => s.Name));
        Assert.DoesNotContain(done.Status.Steps!, s => s.Result is StepResult.Running or StepResult.Failed);
        Assert.Equal("VmmMigrated", done.Status.Conditions!.Single(c => c.Type == MigrationConditions.Migrated).Reason);
        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(OperatorTestCluster.NodeB, vmi.Status!.NodeName);
        // The kubelet took the plugin's preference: the target pod (now the VMI's pod) holds exactly the prepared VF, and
        // the operator verified that before it committed.
        Assert.Equal(done.Status.Destination!.VfAddress, await VfOfAsync(cluster, OperatorTestCluster.NodeB, vmi.Status.ActivePods!.Keys.Single()));
        var verified = Assert.Single(done.Status.Steps!, s => s.Name == StepNames.VerifyTargetPod);
        Assert.Equal(StepResult.Succeeded, verified.Result);
        Assert.True(verified.FinishedAt <= done.Status.Steps!.Single(s => s.Name == VmimProgress.StepName(VmimPhases.Succeeded)).FinishedAt);
        await AssertNoStateMovedAsync(cluster, done);
        var source = await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA);
        Assert.True(NvmeLm.Operator.Nodes.NodeInventory.IsReleasedBy(source, done.Status.Source!.VfAddress!, created.Metadata.Uid!), "source VF released to its pool");
    }

    [Fact]
    public async Task VmmMigration_Should_RollBackBothEndsAndLeaveTheVmi_When_TheVmimFailsMidWay()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        await using var kubevirt = StartVirtController(cluster, new SimulatedKubelet(cluster.NvmeNodes), HostDeviceMigration.Migrate, failAt: VmimPhases.Running);
        var launcher = await StartVmAsync(cluster, kubevirt);

        await CreateAsync(cluster, "vm-1-move");
        var failed = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Failed);

        Assert.Equal(FailureReasons.VmimFailed, failed.Status!.FailureReason);
        // The operator polls the VMIM, so which phases it saw before Failed varies; the last one it saw is the one that failed.
        var vmimSteps = failed.Status.Steps!.Where(s => s.Name.StartsWith(VmimProgress.StepPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(vmimSteps[^1], Assert.Single(vmimSteps, s => s.Result == StepResult.Failed));
        Assert.Contains(VmimPhases.TargetReady, kubevirt.PhasesSeen["nvmelm-" + failed.Metadata.Uid]);
        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(OperatorTestCluster.NodeA, vmi.Status!.NodeName);
        Assert.Equal(new Dictionary<string, string> { [launcher.Uid] = OperatorTestCluster.NodeA }, vmi.Status.ActivePods);
        await AssertNoStateMovedAsync(cluster, failed);
        await AssertBothEndsBackInPoolAsync(cluster);
    }

    [Fact]
    public async Task VmmMigration_Should_AbortTheVmimAndRollBackBothEnds_When_TheTargetPodGetsAnotherVf()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        var vmis = await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        var kubelet = new SimulatedKubelet(cluster.NvmeNodes);
        await using var kubevirt = StartVirtController(cluster, kubelet, HostDeviceMigration.Migrate);
        var launcher = await StartVmAsync(cluster, kubevirt);
        // What a pod racing the target pod for the reserved VF causes: the target pod gets another VF of the node.
        kubelet.IgnorePreference = true;

        var created = await CreateAsync(cluster, "vm-1-move");
        var failed = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Failed);

        Assert.Equal(FailureReasons.TargetPodGotOtherVf, failed.Status!.FailureReason);
        var check = Assert.Single(failed.Status.Steps!, s => s.Name == StepNames.VerifyTargetPod);
        Assert.Equal((StepResult.Failed, OperatorTestCluster.NodeB), (check.Result, check.Node));
        Assert.Contains($"instead of the prepared VF {failed.Status.Destination!.VfAddress}", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(failed.Status.Steps!, s => s.Name == StepNames.ReleaseSource || s.Result == StepResult.Running);
        Assert.DoesNotContain(VmimPhases.Succeeded, kubevirt.PhasesSeen[VmimRequest.NameFor(created)]);
        // The VMIM was deleted (KubeVirt aborts it): the VM stays on the source, the target pod's VF is free again.
        Assert.Null(await new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin).TryGetAsync(new NamespacedName(Ns, VmimRequest.NameFor(created)), CancellationToken.None));
        var vmi = await vmis.GetAsync(new NamespacedName(Ns, "vm-1"), CancellationToken.None);
        Assert.Equal(OperatorTestCluster.NodeA, vmi.Status!.NodeName);
        Assert.Equal(new Dictionary<string, string> { [launcher.Uid] = OperatorTestCluster.NodeA }, vmi.Status.ActivePods);
        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeB), n => n?.Status?.AllocatedVfCount == 0, "target pod's VF freed");
        await AssertNoStateMovedAsync(cluster, failed);
        await AssertBothEndsBackInPoolAsync(cluster);
    }

    [Fact]
    public async Task VmmMigration_Should_FailWithZeroWrites_When_KubeVirtRefusesHostDevices()
    {
        // KubeVirt <= v1.9 marks a VMI with a PCI host device LiveMigratable=False: nothing is prepared, no VMIM made.
        await using var cluster = await OperatorTestCluster.StartAsync();
        await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        await using var kubevirt = StartVirtController(cluster, new SimulatedKubelet(cluster.NvmeNodes), HostDeviceMigration.Refuse);
        await StartVmAsync(cluster, kubevirt);

        var auditMark = cluster.Server.Audit.Snapshot().Count;
        await CreateAsync(cluster, "vm-1-move");
        var failed = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Failed);

        Assert.Equal(FailureReasons.VmiNotLiveMigratable, failed.Status!.FailureReason);
        Assert.Empty((await new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin).ListAsync(Ns, null, CancellationToken.None)).Items ?? []);
        Assert.DoesNotContain(cluster.Server.Audit.Snapshot().Skip(auditMark),
            r => r.IsWrite && r.Identity == "operator" && r.Resource is "nvmenodes" or "secrets" or VirtualMachineInstanceMigration.Plural);
    }

    [Fact]
    public async Task UserVmim_Should_BePreparedFollowedAndReleased_When_ItsVmiHoldsAPoolVf()
    {
        // The user's VMIM is adopted (VmimAdopter): the NvmeMigration prepares both ends and follows that VMIM; the
        // operator creates no second one.
        await using var cluster = await OperatorTestCluster.StartAsync();
        await KubeVirtFixture.InstallAsync(cluster);
        await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        await using var kubevirt = StartVirtController(cluster, new SimulatedKubelet(cluster.NvmeNodes), HostDeviceMigration.Migrate, run: false);
        await StartVmAsync(cluster, kubevirt);
        var vmims = new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin);

        await vmims.CreateAsync(new VirtualMachineInstanceMigration
        {
            Metadata = new V1ObjectMeta { Name = "users-move", NamespaceProperty = Ns },
            Spec = new VmimSpec { VmiName = "vm-1", AddedNodeSelector = new Dictionary<string, string> { [WellKnownLabels.Hostname] = OperatorTestCluster.NodeB } },
        }, CancellationToken.None);
        // KubeVirt acts once the destination is prepared (a user's VMIM that reaches Scheduled first may get another VF:
        // TargetPodGotOtherVf, see the operator README).
        await cluster.WaitForPhaseAsync("users-move", MigrationPhase.Suspending);
        kubevirt.Start();
        var done = await cluster.WaitForPhaseAsync("users-move", MigrationPhase.Succeeded);

        Assert.Equal("users-move", done.Status!.KubevirtMigration);
        Assert.Equal("users-move", Assert.Single((await vmims.ListAsync(Ns, null, CancellationToken.None)).Items!).Metadata.Name);
        Assert.Contains(done.Status.Steps!, s => s.Name == StepNames.AllowMigrate && s.Result == StepResult.Succeeded);
        await AssertNoStateMovedAsync(cluster, done);
        var source = await cluster.GetNvmeNodeAsync(OperatorTestCluster.NodeA);
        Assert.True(NvmeLm.Operator.Nodes.NodeInventory.IsReleasedBy(source, done.Status.Source!.VfAddress!, done.Metadata.Uid!), "source VF released to its pool");
    }

    [Fact]
    public async Task VmmMigration_Should_FollowTheVmimItCreated_When_TheOperatorRestartsMidFlow()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await KubeVirtFixture.InstallAsync(cluster);
        var first = await cluster.StartOperatorAsync();
        await cluster.ProvisionAsync();
        // KubeVirt does not act until the first operator is gone: the VMIM stays Pending meanwhile.
        await using var kubevirt = StartVirtController(cluster, new SimulatedKubelet(cluster.NvmeNodes), HostDeviceMigration.Migrate, run: false);
        await StartVmAsync(cluster, kubevirt);
        var vmims = new ResourceClient<VirtualMachineInstanceMigration>(cluster.Admin);

        var created = await CreateAsync(cluster, "vm-1-move");
        await Eventually.ValueAsync(() => vmims.TryGetAsync(new NamespacedName(Ns, VmimRequest.NameFor(created)), CancellationToken.None), v => v is not null, "VMIM created");
        await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Suspending);
        await cluster.StopOperatorAsync(first);
        await cluster.StartOperatorAsync();
        kubevirt.Start();
        var done = await cluster.WaitForPhaseAsync("vm-1-move", MigrationPhase.Succeeded);

        Assert.Equal(VmimRequest.NameFor(created), Assert.Single((await vmims.ListAsync(Ns, null, CancellationToken.None)).Items!).Metadata.Name);
        Assert.Single(cluster.Server.Audit.Snapshot(), r => r.Verb == "create" && r.Resource == VirtualMachineInstanceMigration.Plural && r.StatusCode == 201);
        await AssertNoStateMovedAsync(cluster, done);
    }

    /// <summary>Rolled back: every VF of both nodes is a pool VF again in spec, with no hand-off to a target pod left.</summary>
    private static async Task AssertBothEndsBackInPoolAsync(OperatorTestCluster cluster)
    {
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            var nvmeNode = await cluster.GetNvmeNodeAsync(node);
            Assert.All(nvmeNode.Spec.PhysicalFunctions ?? [], pf => Assert.All(pf.Secondaries ?? [], s => Assert.Equal((SecondaryRole.Pool, null), (s.Role, s.HandToTargetPod))));
        }
    }

    /// <summary>The VMM moves the state: no agent ever ran Suspend/SaveState/RestoreState/Resume, and no state Secret was written.</summary>
    private static async Task AssertNoStateMovedAsync(OperatorTestCluster cluster, V1Alpha1NvmeMigration migration)
    {
        Assert.DoesNotContain(migration.Status!.Steps!, s => StateSteps.Contains(s.Name));
        Assert.DoesNotContain(cluster.Agents.SelectMany(a => a.MigrationActions), a => StateSteps.Any(s => a.StartsWith(s + " ", StringComparison.Ordinal)));
        Assert.Empty(cluster.WritesBy("operator", "secrets"));
        Assert.Null(migration.Status.SecretName);
        foreach (var node in new[] { OperatorTestCluster.NodeA, OperatorTestCluster.NodeB })
        {
            var nvmeNode = await cluster.GetNvmeNodeAsync(node);
            Assert.DoesNotContain(nvmeNode.Spec.Operations ?? [], o => o.Type is NodeOperationType.Suspend or NodeOperationType.SaveState
                or NodeOperationType.RestoreState or NodeOperationType.Resume);
        }
    }

    /// <summary>
    /// The simulated virt-controller, with the simulated kubelet allocating each launcher pod's VF through the device
    /// plugin's preference (the target pod gets the reserved VF because the plugin offers it first, not because the test
    /// hands it over) and the fake agent reporting that allocation as the real one reads it from PodResources. A
    /// migration leaves Running only once the operator verified the target pod's VF (a real memory copy takes seconds).
    /// </summary>
    private static SimulatedVirtController StartVirtController(
        OperatorTestCluster cluster, SimulatedKubelet kubelet, HostDeviceMigration mode, string? failAt = null, bool run = true)
    {
        var kubevirt = new SimulatedVirtController(cluster.Admin, new VirtControllerOptions
        {
            HostDevices = mode,
            FailAtPhase = failAt,
            PodStarted = async (pod, ct) =>
            {
                var vf = AgentOn(cluster, pod.Node).Vf(await kubelet.AllocateAsync(pod, ct));
                (vf.AllocatedToPod, vf.AllocatedToPodUid) = (pod.Name, pod.Uid);
            },
            PodStopped = (pod, _) =>
            {
                if (kubelet.Release(pod) is { } address)
                {
                    var vf = AgentOn(cluster, pod.Node).Vf(address);
                    (vf.AllocatedToPod, vf.AllocatedToPodUid) = (null, null);
                }

                return Task.CompletedTask;
            },
            LeaveRunningWhen = async (vmim, ct) => ((await cluster.Migrations.ListAsync(Ns, null, ct)).Items ?? []).Any(m =>
                m.Status?.KubevirtMigration == vmim.Metadata.Name
                && m.Status.Steps?.Any(s => s.Name == StepNames.VerifyTargetPod && s.Result == StepResult.Succeeded) == true),
        });
        if (run)
        {
            kubevirt.Start();
        }

        return kubevirt;
    }

    private static FakeNodeAgent AgentOn(OperatorTestCluster cluster, string node) => node == OperatorTestCluster.NodeA ? cluster.AgentA : cluster.AgentB;

    /// <summary>VMI vm-1 on node A; its launcher pod holds the source VF once the agent reported the allocation.</summary>
    private static async Task<LauncherPod> StartVmAsync(OperatorTestCluster cluster, SimulatedVirtController kubevirt)
    {
        var launcher = await kubevirt.StartVmiAsync(Ns, "vm-1", OperatorTestCluster.NodeA, "nvmelm.io/migratable-vf", CancellationToken.None);
        await Eventually.ValueAsync(() => cluster.TryGetNvmeNodeAsync(OperatorTestCluster.NodeA), n => n?.Status?.AllocatedVfCount == 1, "source allocation reported");
        return launcher;
    }

    /// <summary>The VF the simulated kubelet gave <paramref name="pod"/>, as the node's agent reports it.</summary>
    private static async Task<string?> VfOfAsync(OperatorTestCluster cluster, string node, string podUid) =>
        (await cluster.GetNvmeNodeAsync(node)).Status!.PhysicalFunctions!.SelectMany(p => p.Secondaries ?? [])
            .FirstOrDefault(s => s.AllocatedTo?.Any(a => a.PodUid == podUid) == true)?.VfAddress;

    private static Task<V1Alpha1NvmeMigration> CreateAsync(OperatorTestCluster cluster, string name) =>
        cluster.Migrations.CreateAsync(new V1Alpha1NvmeMigration
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
            Spec = new V1Alpha1NvmeMigration.EntitySpec
            {
                VmiName = "vm-1",
                Source = new MigrationSource { Node = OperatorTestCluster.NodeA },
                Destination = new MigrationDestination { Node = OperatorTestCluster.NodeB },
                StateTransfer = StateTransferMode.Vmm,
            },
        }, CancellationToken.None);
}
