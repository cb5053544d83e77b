using NvmeLm.DevCluster;
using NvmeLm.DevCluster.Trace;

namespace NvmeLm.Integration.Tests;

/// <summary>
/// The README's first command, run in-process: exit code, summary, the critical-section trace, a 60-migration run's end
/// check, and the clean rollback of <c>--fail-at</c>.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_Should_ExitZeroWithSucceededSummary_When_RunWithTwoNodesAndOneMigration()
    {
        var (exit, report, _) = await RunAsync(new DemoOptions { Nodes = 2, Migrations = 1, Json = true });

        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.True(report.Passed, string.Join("; ", report.Problems));
        var item = Assert.Single(report.Items);
        Assert.Equal("Succeeded", item.Phase);
        Assert.Equal(("worker-1", "worker-2"), (item.Source!.Node, item.Destination!.Node));
        Assert.Equal(8192, item.StateSizeBytes);
        Assert.Matches("^[0-9a-f]{64}$", item.StateSha256!);
        Assert.Contains(item.Steps, s => s.Name == "Resume" && s.Node == "worker-2" && s.Result == "Succeeded");
        Assert.True(report.Figures.WritesPerMigration > 0);
    }

    [Fact]
    public async Task Demo_Should_TraceTheCriticalSection_When_RunWithOneMigration()
    {
        var (exit, report, _) = await RunAsync(new DemoOptions { Nodes = 2, Migrations = 1, Json = true });

        // The end check includes TraceCheck (every hop present, none negative, adding up exactly); the figures have every hop once.
        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.True(report.Passed, string.Join("; ", report.Problems));
        Assert.Equal(CriticalSectionTrace.HopNames, report.Figures.CriticalSection.Select(h => h.Name));
        Assert.All(report.Figures.CriticalSection, h => Assert.Equal(1, h.Samples));
        double downtime = report.Figures.CriticalSection.Where(h => h.InDowntime).Sum(h => h.P50Ms);
        Assert.Equal(report.Items[0].DowntimeMs!.Value, downtime, 0.002);
    }

    /// <summary>
    /// Issue 12's CI check of a many-migration run (small enough for 2 cores; not timed): 60 migrations on 20 nodes all
    /// succeed, and the end check finds no missing or negative step duration, no broken trace, no leak.
    /// </summary>
    [Fact]
    public async Task Demo_Should_PassItsEndCheckWithCompleteTimelines_When_RunningSixtyMigrationsOnTwentyNodes()
    {
        var (exit, report, _) = await RunAsync(new DemoOptions { Nodes = 20, Migrations = 60, Json = true }, TimeSpan.FromSeconds(240));

        Assert.True(report.Passed, string.Join("; ", report.Problems));
        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.Equal(60, report.Items.Count(i => i.Phase == "Succeeded"));
        var steps = report.Items.SelectMany(i => i.Steps).ToList();
        Assert.All(steps, s => Assert.True(s.DurationMs is >= 0, $"step {s.Name} on {s.Node}: duration {s.DurationMs?.ToString() ?? "missing"}"));
        Assert.All(report.Figures.CriticalSection, h => Assert.Equal(60, h.Samples));
    }

    [Fact]
    public async Task Demo_Should_ExitZeroWithCleanRollback_When_FailAtResume()
    {
        var (exit, report, _) = await RunAsync(new DemoOptions { Nodes = 2, Migrations = 1, FailAt = "Resume", Json = true });

        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.True(report.Passed, string.Join("; ", report.Problems));
        var item = Assert.Single(report.Items);
        Assert.Equal("Failed", item.Phase);
        Assert.Equal("ResumeFailed", item.FailureReason);
        Assert.Contains(item.Steps, s => s.Name == "RollbackResumeSource" && s.Result == "Succeeded");
        Assert.Contains(item.Steps, s => s.Name == "RollbackReleaseDestination" && s.Result == "Succeeded");
    }

    [Fact]
    public async Task Demo_Should_PrintPlainProgressAndSummary_When_OutputIsNotATerminal()
    {
        var (exit, _, text) = await RunAsync(new DemoOptions { Nodes = 2, Migrations = 1, LiveTable = false });

        Assert.Equal(DemoRunner.ExitPassed, exit);
        Assert.Contains("demo-1: PreparingDestination", text, StringComparison.Ordinal);
        Assert.Contains("demo-1: Succeeded", text, StringComparison.Ordinal);
        Assert.Contains("PASS", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Should_ExitTwoWithoutStartingAnything_When_FailAtStepIsUnknown()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await new DemoRunner(new DemoOptions { FailAt = "Teleport" }, output, error).RunAsync(CancellationToken.None);

        Assert.Equal(DemoRunner.ExitUsage, exit);
        Assert.Contains("unknown step", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    /// <summary>The agent CLI's command is <c>restore-state</c>; the demo's step is RestoreState: both spellings, any case.</summary>
    [Theory]
    [InlineData("RestoreState", "RestoreState")]
    [InlineData("restore-state", "RestoreState")]
    [InlineData("RESTORE-STATE", "RestoreState")]
    [InlineData("restorestate", "RestoreState")]
    [InlineData("save-state", "SaveState")]
    [InlineData("suspend", "Suspend")]
    [InlineData("Resuming", "Resume")]
    [InlineData("transferring-state", "SaveState")]
    public void FailAt_Should_FindTheStep_When_SpelledAsStepCommandOrPhase(string spelling, string step)
    {
        Assert.Equal(step, FailAtStep.Find(spelling)?.Step);
        Assert.Null(new DemoOptions { FailAt = spelling }.Validate());
    }

    /// <summary>Sixteen migrations in flight per processor unless told: at least 8, never more than there are migrations.</summary>
    [Fact]
    public void Concurrency_Should_DefaultToSixteenPerProcessor_BoundedByTheMigrations()
    {
        int perProcessors = DemoOptions.MigrationsPerProcessor * Environment.ProcessorCount;

        Assert.Equal(Math.Min(perProcessors, 500), new DemoOptions { Migrations = 500 }.DefaultConcurrency);
        Assert.Equal(8, new DemoOptions { Migrations = 1 }.DefaultConcurrency);
        Assert.Null(new DemoOptions { Migrations = 500, MaxConcurrentMigrations = 64 }.Validate());
        Assert.Contains("--max-concurrent-migrations", new DemoOptions { MaxConcurrentMigrations = 0 }.Validate(), StringComparison.Ordinal);
    }

    private static async Task<(int Exit, DemoReport Report, string Text)> RunAsync(DemoOptions options, TimeSpan? timeout = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var runner = new DemoRunner(options with { Timeout = timeout ?? TimeSpan.FromSeconds(90) }, output, error);
        var exit = await runner.RunAsync(CancellationToken.None);
        var text = output.ToString();
        var report = options.Json ? DemoJson.Deserialize(text)! : runner.Report!;
        return (exit, report, text);
    }
}
