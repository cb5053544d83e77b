using System.Globalization;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// One pod of an installed workload, run as kubelet would run it on its node, but as a process here: the Pod object
/// (the workload's template, bound to the node) exists in the API server; the process is the image's binary with the
/// container's rendered arguments and environment (<see cref="ContainerEnvironment"/>), its volumes as directories
/// (<see cref="ContainerFilesystem"/>), and a kubeconfig holding a token bound to this pod, what kubelet projects into
/// <c>/var/run/secrets/kubernetes.io/serviceaccount</c>: the API server sees the pod's service account with its
/// node-name claim. Two differences, both for running many pods on one machine: a declared container port given as a
/// flag value becomes 0 (pods have their own network namespace, these processes share one), and the process runs as
/// the test's user, not the image's.
/// </summary>
internal sealed class InstalledPod : IAsyncDisposable
{
    /// <summary>The images' entrypoints (build/images.sh: /app/&lt;binary&gt;), as the assemblies in this test's output.</summary>
    private static readonly Dictionary<string, string> s_entrypoints = new(StringComparer.Ordinal)
    {
        ["nvme-lm-operator"] = "NvmeLm.Operator.dll",
        ["nvme-lm-agent"] = "nvme-lm-agent.dll",
    };

    private InstalledPod(V1Pod pod, IReadOnlyList<string> arguments, ServiceProcess process)
    {
        Pod = pod;
        Arguments = arguments;
        Process = process;
    }

    public V1Pod Pod { get; }

    public string Name => Pod.Metadata.Name;

    public string NodeName => Pod.Spec.NodeName;

    /// <summary>The user name the API server authenticates this pod's token as.</summary>
    public string Identity => $"system:serviceaccount:{Pod.Metadata.NamespaceProperty}:{Pod.Spec.ServiceAccountName}";

    /// <summary>The process's command line (host paths, free ports).</summary>
    public IReadOnlyList<string> Arguments { get; }

    public ServiceProcess Process { get; }

    /// <summary>Creates the Pod from <paramref name="template"/> on <paramref name="nodeName"/> and starts its only container.</summary>
    public static async Task<InstalledPod> StartAsync(EmbeddedApiServer server, Kubernetes admin, string namespaceName, string podName,
        string nodeName, V1PodTemplateSpec template, string workDirectory)
    {
        var pod = await CreatePodAsync(admin, namespaceName, podName, nodeName, template);
        var container = pod.Spec.Containers.Single();
        string podDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, podName)).FullName;
        var filesystem = await ContainerFilesystem.CreateAsync(admin, pod, container, podDirectory);
        var environment = ContainerEnvironment.Resolve(pod, container);
        var ports = (container.Ports ?? []).Select(p => "=" + p.ContainerPort.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        IReadOnlyList<string> arguments = [.. ContainerEnvironment.ExpandArguments(container, environment)
            .Select(filesystem.MapArgument)
            .Select(a => ports.FirstOrDefault(p => a.StartsWith('-') && a.EndsWith(p, StringComparison.Ordinal)) is { } port ? a[..^port.Length] + "=0" : a)];

        string kubeconfig = Path.Combine(podDirectory, "serviceaccount.kubeconfig");
        server.WriteKubeConfigForToken(kubeconfig, await PodTokens.IssueForPodAsync(admin, namespaceName, pod.Spec.ServiceAccountName, podName));
        var processEnvironment = new Dictionary<string, string>(environment)
        {
            ["KUBECONFIG"] = kubeconfig,
            // A test run inside a pod must not find its own in-cluster service account instead.
            ["KUBERNETES_SERVICE_HOST"] = "",
        };
        var process = ServiceProcess.StartDotnet(Path.Combine(AppContext.BaseDirectory, EntrypointOf(container.Image)), arguments,
            sigintIgnored: false, processEnvironment);
        return new InstalledPod(pod, arguments, process);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>The Pod object a controller creates from <paramref name="template"/>, bound to <paramref name="nodeName"/> as the scheduler binds it.</summary>
    public static async Task<V1Pod> CreatePodAsync(Kubernetes admin, string namespaceName, string podName, string nodeName, V1PodTemplateSpec template)
    {
        var spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec));
        spec.NodeName = nodeName;
        return await admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = podName, Labels = template.Metadata?.Labels, Annotations = template.Metadata?.Annotations },
            Spec = spec,
        }, namespaceName);
    }

    private static string EntrypointOf(string image)
    {
        string repository = image.Split('/')[^1].Split(':')[0].Split('@')[0];
        return s_entrypoints.TryGetValue(repository, out var assembly) ? assembly
            : throw new NotSupportedException($"image {image}: no entrypoint known for {repository}");
    }
}
