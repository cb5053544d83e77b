namespace NvmeLm.DevCluster.Tests.Kubectl;

/// <summary>Finds the repository root (the directory with NvmeLmOperator.sln) from the test's output directory, or <c>$NVMELM_REPO_ROOT</c>.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("NVMELM_REPO_ROOT") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NvmeLmOperator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"cannot find the repository root (NvmeLmOperator.sln) above {AppContext.BaseDirectory}");
    }
}
