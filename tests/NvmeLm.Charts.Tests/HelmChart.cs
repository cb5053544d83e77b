using k8s;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>Runs the real helm 4 (or helm 3) against charts/nvme-lm-operator and parses what it renders.</summary>
internal static class HelmChart
{
    public static string ChartDirectory => RepositoryPaths.Combine("charts", "nvme-lm-operator");

    /// <summary>The helm binary of a major version: 4 (the default everywhere) or 3 (what many clusters still use).</summary>
    public static string HelmPath(int major) => major switch
    {
        4 => KubeTools.HelmPath,
        3 => KubeTools.Helm3Path,
        _ => throw new ArgumentOutOfRangeException(nameof(major), major, "helm 3 or 4"),
    };

    public static Task<ProcessResult> HelmAsync(params string[] arguments) => HelmAsync(4, arguments);

    public static async Task<ProcessResult> HelmAsync(int major, params string[] arguments) =>
        await ProcessRunner.RunAsync(HelmPath(major), arguments, TimeSpan.FromMinutes(2));

    /// <summary>Renders the chart with <c>--set</c> values and returns the typed Kubernetes objects.</summary>
    public static Task<IReadOnlyList<object>> TemplateAsync(params string[] setValues) =>
        TemplateWithArgumentsAsync([.. setValues.SelectMany(value => new[] { "--set", value })]);

    /// <summary>Renders the chart with extra helm arguments (e.g. <c>--set-file</c>).</summary>
    public static async Task<IReadOnlyList<object>> TemplateWithArgumentsAsync(params string[] extraArguments) =>
        KubernetesYaml.LoadAllFromString(await RenderAsync(4, ["--namespace", "nvme-lm", .. extraArguments]));

    /// <summary>The rendered manifest (YAML) of release <c>demo</c>; the arguments choose namespace and values.</summary>
    public static async Task<string> RenderAsync(int helmMajor, IEnumerable<string> arguments)
    {
        string[] all = ["template", "demo", ChartDirectory, .. arguments];
        return (await HelmAsync(helmMajor, all)).EnsureSuccess().StandardOutput;
    }
}
