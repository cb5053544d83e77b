using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>The chart carries a copy of the generated CRDs (Helm can only read files inside the chart).</summary>
public sealed class ChartCrdDriftTests
{
    [Fact]
    public void ChartCrds_Should_EqualGeneratedCrds()
    {
        var generated = Directory.GetFiles(RepositoryPaths.Combine("crds"), "nvmelm.io_*.yaml").Order().ToArray();
        var inChart = Directory.GetFiles(Path.Combine(HelmChart.ChartDirectory, "files", "crds"), "*.yaml").Order().ToArray();

        Assert.NotEmpty(generated);
        Assert.Equal(generated.Select(Path.GetFileName), inChart.Select(Path.GetFileName));
        foreach (var (source, copy) in generated.Zip(inChart))
        {
            Assert.True(
                File.ReadAllText(source) == File.ReadAllText(copy),
                $"{copy} differs from {source}; run: cp crds/nvmelm.io_*.yaml charts/nvme-lm-operator/files/crds/");
        }
    }
}
