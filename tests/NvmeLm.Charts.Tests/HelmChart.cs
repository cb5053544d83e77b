using k8s;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>Runs the real helm 4 against charts/nvme-lm-operator and parses what it renders.</summary>
internal static class HelmChart
{
    public static string ChartDirectory => RepositoryPaths.Combine("charts", "nvme-lm-operator");

    public static async Task<ProcessResult> HelmAsync(params string[] arguments)
    {
        return await ProcessRunner.RunAsync(KubeTools.HelmPath, arguments, TimeSpan.FromMinutes(2));
    }

    /// <summary>Renders the chart with <c>--set</c> values and returns the typed Kubernetes objects.</summary>
    public static Task<IReadOnlyList<object>> TemplateAsync(params string[] setValues) =>
        TemplateWithArgumentsAsync([.. setValues.SelectMany(value => new[] { "--set", value })]);

    /// <summary>Renders the chart with extra helm arguments (e.g. <c>--set-file</c>).</summary>
    public static async Task<IReadOnlyList<object>> TemplateWithArgumentsAsync(params string[] extraArguments)
    {
        string[] arguments = ["template", "demo", ChartDirectory, "--namespace", "nvme-lm", .. extraArguments];
        var result = (await HelmAsync(arguments)).EnsureSuccess();
        return KubernetesYaml.LoadAllFromString(result.StandardOutput);
    }
}
