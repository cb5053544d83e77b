namespace NvmeLm.Api.Tests;

/// <summary>Locates the repository checkout the tests run from (the directory holding NvmeLmOperator.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crds => Path.Combine(Root, "crds");

    public static string Samples => Path.Combine(Root, "crds", "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NvmeLmOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"NvmeLmOperator.sln not found above {AppContext.BaseDirectory}");
    }
}
