using System.Globalization;
using NvmeLm.E2E.Tests.Harness;
using Xunit.Abstractions;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The prepare-source benchmark ran (agent vs the plain-shell floor, same boot). It reports numbers only;
/// no timed assertion (performance claims come from runs read by a human).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class BenchmarkReportTests(E2ERunFixture fixture, ITestOutputHelper output)
{
    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void Benchmark_Should_TimeAgentAndShellPrepareInTheSameBoot()
    {
        E2EAssert.Passed(_run, "bench.completed");
        var shell = Mean("bench.shell.");
        var agent = Mean("bench.agent.");
        Assert.True(shell > 0 && agent > 0, "benchmark timings missing" + _run.Diagnostics(20));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepare-source 3 VFs: shell {shell:F0} ms, agent {agent:F0} ms, ratio {agent / shell:F2}; agent --help {Mean("bench.agent-help."):F0} ms, --dry-run {Mean("bench.agent-dryrun."):F0} ms, inventory {Mean("agent.inventory"):F0} ms"));
    }

    private double Mean(string prefix)
    {
        var values = _run.Markers.TimingsMs.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(t => (double)t.Value).ToList();
        return values.Count == 0 ? 0 : values.Average();
    }
}
