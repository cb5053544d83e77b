using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;

namespace NvmeLm.DevCluster;

public sealed partial class SimulatedCluster
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Applies <c>crds/samples/nvmevfpool.yaml</c>, optionally with another <c>numVfs</c> (bigger runs need more VFs per PF).</summary>
    public async Task<V1Alpha1NvmeVfPool> ApplySamplePoolAsync(int? numVfs = null, CancellationToken cancellationToken = default)
    {
        var json = ClusterManifests.SamplePool();
        if (numVfs is int n)
        {
            json["spec"]!["numVfs"] = n;
        }

        var pool = KubernetesJson.Deserialize<V1Alpha1NvmeVfPool>(json.ToJsonString());
        return await Pools.CreateAsync(pool, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every node's agent has applied its current spec and reports at least
    /// <paramref name="vfsPerNode"/> migratable VFs (the pool is provisioned everywhere).
    /// </summary>
    public async Task WaitForProvisionedAsync(Func<SimulatedNode, int> vfsPerNode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var nodes = Nodes;
        while (true)
        {
            var list = await NvmeNodes.ListAsync(null, null, cancellationToken).ConfigureAwait(false);
            var byName = (list.Items ?? []).ToDictionary(n => n.Metadata.Name);
            var waiting = nodes.Where(n => !byName.TryGetValue(n.Name, out var nvme) || !IsProvisioned(nvme, vfsPerNode(n))).Select(n => n.Name).ToList();
            if (waiting.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pool not provisioned within {timeout.TotalSeconds:0}s on: {string.Join(", ", waiting.Take(10))}");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The node's free migratable VFs (role Pool, online), highest VF number first — the end the operator picks destinations from last.</summary>
    public async Task<IReadOnlyList<string>> FreeVfsAsync(string nodeName, CancellationToken cancellationToken)
    {
        var node = await NvmeNodes.GetAsync(NamespacedName.Cluster(nodeName), cancellationToken).ConfigureAwait(false);
        return (node.Status?.PhysicalFunctions ?? [])
            .OrderByDescending(p => p.Address, StringComparer.Ordinal)
            .SelectMany(p => (p.Secondaries ?? []).OrderByDescending(s => s.VfNumber))
            .Where(s => s.Migratable && s.Online && (s.Role is null or SecondaryRole.Pool) && s.VfAddress is not null && !s.Suspended)
            .Select(s => s.VfAddress!)
            .ToList();
    }

    /// <summary>Creates an NvmeMigration in <c>default</c> as a user would (through the API, admin identity).</summary>
    public Task<V1Alpha1NvmeMigration> CreateMigrationAsync(
        string name, string sourceNode, string sourceVf, string destinationNode, MigrationMode mode = MigrationMode.Apply,
        CancellationToken cancellationToken = default, Action<V1Alpha1NvmeMigration.EntitySpec>? customize = null)
    {
        var migration = new V1Alpha1NvmeMigration
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        };
        migration.Spec.Source = new MigrationSource { Node = sourceNode, VfAddress = sourceVf };
        migration.Spec.Destination = new MigrationDestination { Node = destinationNode };
        migration.Spec.Mode = mode;
        customize?.Invoke(migration.Spec);
        return Migrations.CreateAsync(migration, cancellationToken);
    }

    /// <summary>Polls until the migration is Succeeded or Failed; returns it as stored.</summary>
    public async Task<V1Alpha1NvmeMigration> WaitForTerminalAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var key = new NamespacedName("default", name);
        while (true)
        {
            var migration = await Migrations.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (migration.Status?.Phase is MigrationPhase.Succeeded or MigrationPhase.Failed)
            {
                return migration;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"migration {name} still {migration.Status?.Phase?.ToString() ?? "Pending"} after {timeout.TotalSeconds:0}s");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsProvisioned(V1Alpha1NvmeNode node, int wanted) =>
        node.Status is { } status
        && status.ObservedGeneration == node.Metadata.Generation
        && status.MigratableVfCount >= wanted;
}
