using NvmeLm.E2E.Tests.Harness;
using Xunit.Abstractions;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The run mode's timing markers (API change or hardware change → hardware as asked) were printed for every
/// scenario. Numbers only; no timed assertion (tests/e2e/README.md reports them).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class RunModeTimingReportTests(E2ERunFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] s_expected =
    [
        "cluster.start.apiserver-ready", "cluster.start.agent-inventory",
        "cluster.apply.hardware-ready", "cluster.apply.status-reported",
        "cluster.grow.hardware-ready", "cluster.shrink.hardware-ready", "cluster.resources.hardware-ready",
        "cluster.migration.refused", "vm.allocate", "vm.run",
        "cluster.drift-numvfs.restored", "cluster.drift-unbind.restored",
        "cluster.kill.restart-to-ready", "cluster.delete.boot-state",
    ];

    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void EveryScenario_Should_PrintItsTiming()
    {
        var missing = s_expected.Where(name => !_run.Markers.TimingsMs.ContainsKey(name)).ToList();
        foreach (var name in s_expected.Except(missing))
        {
            output.WriteLine($"{name,-36} {_run.Markers.TimingsMs[name],8} ms");
        }

        Assert.True(missing.Count == 0, $"timing markers missing (their scenario did not complete): {string.Join(", ", missing)}{_run.Diagnostics(20)}");
    }
}
