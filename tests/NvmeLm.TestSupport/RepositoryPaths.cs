namespace NvmeLm.TestSupport;

/// <summary>Locates the repository from a test's output directory (tests run from bin/ or .build/).</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "NvmeLmOperator.sln";

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The directory that holds NvmeLmOperator.sln.</summary>
    public static string Root => s_root.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
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
