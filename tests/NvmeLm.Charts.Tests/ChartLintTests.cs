namespace NvmeLm.Charts.Tests;

/// <summary><c>helm lint --strict</c> with the real helm 4 and helm 3, for every value set.</summary>
public sealed class ChartLintTests
{
    public static TheoryData<int, string> Cases => ChartValueSets.WithBothHelms();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Lint_Should_PassStrict_When_ValueSet(int helm, string valueSet)
    {
        var result = await HelmChart.HelmAsync(helm, ["lint", HelmChart.ChartDirectory, "--strict", .. ChartValueSets.Arguments(valueSet)]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.StandardOutput);
    }
}
