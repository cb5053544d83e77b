using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Tests.Integration;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.Helm;

/// <summary>
/// Today's chart (charts/nvme-lm-operator) installed, upgraded and uninstalled by the real helm 4 (server-side
/// apply) and helm 3 (create + three-way merge patches) against the embedded server, as a cluster admin would.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class HelmLifecycleTests
{
    private const string Namespace = "nvme-lm";
    private const string Release = "nvme-lm";
    private const string ChangedDescription = "Nodes the pool selects (changed by the upgrade test)";

    [Theory]
    [InlineData("helm4")]
    [InlineData("helm3")]
    public async Task InstallUpgradeUninstall_Should_ManageTheRelease_And_KeepCrdsAndUsersObjects(string helmName)
    {
        await using var server = await EmbeddedApiServer.StartAsync();
        using var client = server.CreateClient();
        using var helm = new HelmRunner(HelmRunner.PathOf(helmName), server.KubeConfigPath);
        using var chart = ChartCopy.Create();

        (await helm.RunAsync("install", Release, chart.Directory, "-n", Namespace, "--create-namespace")).EnsureSuccess();
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync($"{Release}-operator", Namespace);
        await client.AppsV1.ReadNamespacedDaemonSetAsync($"{Release}-agent", Namespace);
        await client.CoreV1.ReadNamespacedServiceAccountAsync($"{Release}-agent", Namespace);
        await client.RbacAuthorizationV1.ReadClusterRoleBindingAsync($"{Release}-operator");
        Assert.Equal(1, deployment.Spec.Replicas);
        await CreateUsersPoolAsync(client);

        chart.ChangeCrd("nvmelm.io_nvmevfpools.yaml", "Nodes the pool selects", ChangedDescription);
        (await helm.RunAsync("upgrade", Release, chart.Directory, "-n", Namespace, "--set", "operator.replicas=2")).EnsureSuccess();
        var upgraded = await client.AppsV1.ReadNamespacedDeploymentAsync($"{Release}-operator", Namespace);
        var pools = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("nvmevfpools.nvmelm.io");
        Assert.Equal(2, upgraded.Spec.Replicas);
        Assert.Contains(pools.Spec.Versions[0].AdditionalPrinterColumns, c => c.Description == ChangedDescription);

        (await helm.RunAsync("uninstall", Release, "-n", Namespace)).EnsureSuccess();
        var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        var deployments = await client.AppsV1.ListNamespacedDeploymentAsync(Namespace);
        var releases = await client.CoreV1.ListNamespacedSecretAsync(Namespace, labelSelector: "owner=helm");
        Assert.Equal(["nvmemigrations.nvmelm.io", "nvmenodes.nvmelm.io", "nvmevfpools.nvmelm.io"], crds.Items.Select(c => c.Metadata.Name).Order());
        Assert.Empty(deployments.Items);
        Assert.Empty(releases.Items);
        await client.CustomObjects.GetClusterCustomObjectAsync("nvmelm.io", "v1alpha1", "nvmevfpools", "users-pool");
    }

    private static async Task CreateUsersPoolAsync(Kubernetes client)
    {
        var pool = new Dictionary<string, object>
        {
            ["apiVersion"] = "nvmelm.io/v1alpha1",
            ["kind"] = "NvmeVfPool",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "users-pool" },
            ["spec"] = new Dictionary<string, object> { ["numVfs"] = 2 },
        };
        await client.CustomObjects.CreateClusterCustomObjectAsync(pool, "nvmelm.io", "v1alpha1", "nvmevfpools");
    }

    /// <summary>A throw-away copy of the chart, so the upgrade can change a CRD without touching the repository.</summary>
    private sealed class ChartCopy : IDisposable
    {
        private readonly DirectoryInfo _root;

        private ChartCopy(DirectoryInfo root) => _root = root;

        public string Directory => Path.Combine(_root.FullName, "nvme-lm-operator");

        public static ChartCopy Create()
        {
            var root = System.IO.Directory.CreateTempSubdirectory("nvmelm-chart-");
            Copy(RepositoryPaths.Combine("charts", "nvme-lm-operator"), Path.Combine(root.FullName, "nvme-lm-operator"));
            return new ChartCopy(root);
        }

        public void ChangeCrd(string file, string from, string to)
        {
            string path = Path.Combine(Directory, "files", "crds", file);
            string text = File.ReadAllText(path);
            Assert.Contains(from, text);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        }

        public void Dispose() => _root.Delete(recursive: true);

        private static void Copy(string from, string to)
        {
            System.IO.Directory.CreateDirectory(to);
            foreach (string file in System.IO.Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
            foreach (string directory in System.IO.Directory.GetDirectories(from))
            {
                Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }
}
