namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>Finds files of the repository (the generated CRD YAML) from the test's output directory.</summary>
public static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NvmeLmOperator.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("NvmeLmOperator.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The KubeVirt VMI/VMIM CRD subset the simulated cluster serves.</summary>
    public static string KubeVirtCrds => Path.Combine(Root, "operator", "NvmeLm.DevCluster", "KubeVirt", "kubevirt.io-crds.yaml");

    public static IEnumerable<string> CrdFiles() => Directory.GetFiles(Path.Combine(Root, "crds"), "nvmelm.io_*.yaml").Order(StringComparer.Ordinal);
}
