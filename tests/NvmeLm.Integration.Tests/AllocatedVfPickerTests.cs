using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster;
using NvmeLm.Kube;
using NvmeLm.NodeAgent.DevicePlugin;
using NvmeLm.TestSupport;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// Issue 10, the whole chain at once: worker-2's real agent serves its kubelet device plugin to the Python kubelet
/// simulator (a different gRPC stack), the simulator allocates a VF to a pod and reports it through PodResources, the
/// agent publishes <c>allocatedTo</c>, and the real operator's destination picker — on the embedded API server — leaves
/// that VF alone while a migration to worker-2 runs, and picks it again once the pod let it go.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AllocatedVfPickerTests
{
    private const string Resource = "nvmelm.io/migratable-vf";
    private const string Destination = "worker-2";
    private const int PoolVfs = 2;

    [Fact]
    public async Task Picker_Should_SkipTheVfAPodHolds_And_PickItOnceFreed()
    {
        await using KubeletSimulator kubelet = await KubeletSimulator.StartAsync();
        SimulatedClusterOptions options = TestClusters.Options();
        await using SimulatedCluster cluster = await TestClusters.StartProvisionedAsync(options with
        {
            Agents = options.Agents with
            {
                DevicePlugin = node => node == Destination
                    ? new DevicePluginSettings
                    {
                        Directory = kubelet.Directory,
                        PodResourcesSocket = kubelet.PodResourcesSocket,
                        SocketCheckPeriod = TimeSpan.FromMilliseconds(100),
                    }
                    : null,
                PodResourcesPollPeriod = TimeSpan.FromMilliseconds(200),
            },
        }, PoolVfs);

        // The picker's first choice on worker-2 (lowest PF, then lowest VF number) is the VF the pod gets.
        string held = (await SecondaryAsync(cluster, s => s.VfNumber == 1)).VfAddress!;
        await kubelet.WaitForDevicesAsync(Resource, d => d.Count == PoolVfs && d.Values.All(h => h == KubeletApi.Healthy),
            "worker-2's pool VFs listed healthy by ListAndWatch");
        V1Pod pod = await cluster.Admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "virt-launcher-vm-a" },
            Spec = new V1PodSpec { NodeName = Destination, Containers = [new V1Container { Name = "compute", Image = "virt-launcher" }] },
        }, "default");
        Assert.True((bool?)(await kubelet.AllocateAsync(Resource, held))["ok"]);
        await kubelet.SetPodsAsync(("default", "virt-launcher-vm-a", "compute", Resource, [held]));
        SecondaryControllerStatus allocated = await SecondaryAsync(cluster, s => s.VfAddress == held && s.AllocatedTo is { Count: 1 });
        Assert.Equal(("virt-launcher-vm-a", pod.Metadata.Uid), (allocated.AllocatedTo![0].Pod, allocated.AllocatedTo[0].PodUid));

        V1Alpha1NvmeMigration whileHeld = await MigrateToDestinationAsync(cluster, "while-held");
        Assert.Equal(MigrationPhase.Succeeded, whileHeld.Status!.Phase);
        Assert.NotEqual(held, whileHeld.Status.Destination!.VfAddress);
        // The pod still holds it after the migration: nothing in the run took it away.
        Assert.NotNull((await SecondaryAsync(cluster, s => s.VfAddress == held)).AllocatedTo);

        // The pod is gone: PodResources no longer lists it, the agent clears allocatedTo, the picker may use the VF.
        await kubelet.SetPodsAsync();
        await SecondaryAsync(cluster, s => s.VfAddress == held && s.AllocatedTo is null);
        V1Alpha1NvmeMigration afterFree = await MigrateToDestinationAsync(cluster, "after-free");
        Assert.Equal(MigrationPhase.Succeeded, afterFree.Status!.Phase);
        Assert.Equal(held, afterFree.Status.Destination!.VfAddress);
    }

    /// <summary>A migration of worker-1's first free VF to worker-2, the destination VF left to the picker.</summary>
    private static async Task<V1Alpha1NvmeMigration> MigrateToDestinationAsync(SimulatedCluster cluster, string name)
    {
        string source = (await cluster.FreeVfsAsync("worker-1", CancellationToken.None))[0];
        await cluster.CreateMigrationAsync(name, "worker-1", source, Destination);
        return await cluster.WaitForTerminalAsync(name, TestClusters.MigrationTimeout);
    }

    /// <summary>Waits for worker-2's NvmeNode status to have a secondary matching <paramref name="match"/>.</summary>
    private static async Task<SecondaryControllerStatus> SecondaryAsync(SimulatedCluster cluster, Func<SecondaryControllerStatus, bool> match)
    {
        V1Alpha1NvmeNode node = await Eventually.MatchAsync(
            () => cluster.NvmeNodes.GetAsync(NamespacedName.Cluster(Destination), CancellationToken.None),
            n => Secondaries(n).Any(match), "worker-2's status with the expected secondary", TimeSpan.FromSeconds(60));
        return Secondaries(node).First(match);
    }

    private static IEnumerable<SecondaryControllerStatus> Secondaries(V1Alpha1NvmeNode node) =>
        (node.Status?.PhysicalFunctions ?? []).OrderBy(p => p.Address, StringComparer.Ordinal).SelectMany(p => p.Secondaries ?? []);
}
