using k8s;

namespace NvmeLm.Kube.Client;

/// <summary>
/// Builds the one <see cref="Kubernetes"/> client a process should hold: from a kubeconfig file, from the
/// in-cluster service account, or the kubeconfig <c>$KUBECONFIG</c> names, else <c>~/.kube/config</c>.
/// Hand the same instance to every <see cref="ResourceClient{T}"/> (csharp #1539/#1552: creating clients
/// repeatedly leaks handlers).
/// </summary>
public static class KubernetesClientFactory
{
    /// <summary>
    /// From <paramref name="kubeconfigPath"/> when given; otherwise in-cluster config inside a pod, else the
    /// default kubeconfig.
    /// </summary>
    public static Kubernetes Create(string? kubeconfigPath = null, string? context = null)
    {
        return new Kubernetes(BuildConfiguration(kubeconfigPath, context));
    }

    public static KubernetesClientConfiguration BuildConfiguration(string? kubeconfigPath = null, string? context = null)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            if (!File.Exists(kubeconfigPath))
            {
                throw new FileNotFoundException($"The kubeconfig '{kubeconfigPath}' does not exist.", kubeconfigPath);
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath, currentContext: context);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        // BuildConfigFromConfigFile without a path reads ~/.kube/config only; $KUBECONFIG is ours to honour.
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(
            KubeconfigFromVariable(Environment.GetEnvironmentVariable("KUBECONFIG")), currentContext: context);
    }

    /// <summary>
    /// The file a <c>KUBECONFIG</c> value names: the first existing one of its path list (kubectl merges them all; one
    /// file is what our processes are given), or null (then <c>~/.kube/config</c>).
    /// </summary>
    public static string? KubeconfigFromVariable(string? value) =>
        (value ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
}
