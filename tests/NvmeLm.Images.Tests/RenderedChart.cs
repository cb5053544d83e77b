using k8s;
using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.Images.Tests;

/// <summary>The chart's workloads as the real helm 4 renders them: what the images must fit.</summary>
internal static class RenderedChart
{
    public static async Task<(V1Deployment Operator, V1DaemonSet Agent)> WorkloadsAsync(params string[] setValues)
    {
        string[] arguments = ["template", "demo", RepositoryPaths.Combine("charts", "nvme-lm-operator"), "--namespace", "nvme-lm",
            .. setValues.SelectMany(v => new[] { "--set", v })];
        var objects = KubernetesYaml.LoadAllFromString((await ProcessRunner.RunAsync(KubeTools.HelmPath, arguments, TimeSpan.FromMinutes(2)))
            .EnsureSuccess().StandardOutput);
        return (objects.OfType<V1Deployment>().Single(), objects.OfType<V1DaemonSet>().Single());
    }

    public static string AppVersion() =>
        File.ReadAllLines(RepositoryPaths.Combine("charts", "nvme-lm-operator", "Chart.yaml"))
            .Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal)).Split('"')[1];
}
