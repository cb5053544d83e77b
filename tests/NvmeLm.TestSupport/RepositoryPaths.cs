namespace NvmeLm.TestSupport;

/// <summary>
/// Locates the repository from a test's output directory (tests run from bin/ or .build/): the directory
/// holding NvmeLmOperator.sln, or <c>$NVMELM_REPO_ROOT</c> when set.
/// </summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "NvmeLmOperator.sln";

    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("NVMELM_REPO_ROOT") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"{SolutionFile} not found above {AppContext.BaseDirectory}");
    }
}
