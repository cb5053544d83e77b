using NvmeLm.TestSupport;

namespace NvmeLm.Api.Tests;

/// <summary>The repository folders these tests read: the generated CRDs and their samples.</summary>
internal static class RepoPaths
{
    public static string Root => RepositoryPaths.Root;

    public static string Crds => RepositoryPaths.Combine("crds");

    public static string Samples => RepositoryPaths.Combine("crds", "samples");
}
