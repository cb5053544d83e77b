using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.DevCluster.Trace;
using NvmeLm.Kube.WarmUp;
using NvmeLm.Operator.Migrations;
using Spectre.Console;

namespace NvmeLm.DevCluster;

/// <summary>
/// The demo: a simulated cluster (embedded API server, CRDs, N emulated nodes with agents, the operator), the
/// sample pool, M migrations (source on node i, destination on node i+1), live progress, a summary, and an exit
/// code. Exit 0 when every migration Succeeded and nothing leaked; with <c>--fail-at</c>, when every migration
/// ended Failed with a clean rollback (that is the expected outcome of an injected fault); 1 otherwise; 2 for
/// bad options.
/// </summary>
public sealed class DemoRunner
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    private readonly DemoOptions _options;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    public DemoRunner(DemoOptions options, TextWriter output, TextWriter error, IAnsiConsole? console = null)
    {
        _options = options;
        _output = output;
        _error = error;
        _console = console ?? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
    }

    /// <summary>The report of the last run (null before a run, or when the options were bad).</summary>
    public DemoReport? Report { get; private set; }

    /// <summary>The report of the last <c>--kubevirt</c> run.</summary>
    public KubeVirt.KubeVirtDemoReport? KubeVirtReport { get; private set; }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (_options.Validate() is { } usage)
        {
            await _error.WriteLineAsync("demo: " + usage).ConfigureAwait(false);
            return ExitUsage;
        }

        var failAt = _options.FailAt is null ? null : FailAtStep.Find(_options.FailAt);
        var work = _options.WorkDirectory ?? Directory.CreateTempSubdirectory("nvmelm-demo-").FullName;
        Directory.CreateDirectory(work);
        var logProvider = new FileLoggerProvider(Path.Combine(work, "demo.log"));
        try
        {
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
            if (_options.KubeVirt)
            {
                var kubevirt = new KubeVirt.KubeVirtDemo(_options, _output);
                var exit = await kubevirt.RunAsync(work, loggers, cancellationToken).ConfigureAwait(false);
                KubeVirtReport = kubevirt.Report;
                return exit;
            }

            return await RunClusterAsync(failAt, work, logProvider.Path, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM or Ctrl-C before the summary: the cluster is already stopped (disposed on the way out).
            await _error.WriteLineAsync("demo: stopped before every migration finished").ConfigureAwait(false);
            return ExitFailed;
        }
        finally
        {
            logProvider.Dispose();
            if (_options.WorkDirectory is null)
            {
                // Nothing of a stopped demo is worth keeping: --keep-running printed the log and kubeconfig paths for use while it ran.
                TryDelete(work);
            }
        }
    }

    private async Task<int> RunClusterAsync(FailAtStep? failAt, string work, string logFile, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var layout = DemoLayout.For(_options.Nodes, _options.Migrations, pairwise: failAt is not null);
        var clock = Stopwatch.StartNew();
        Progress($"Starting the embedded API server, {_options.Nodes} emulated node(s) ({layout.PfsPerNode} PF(s) x {layout.VfsPerPf} VFs in the pool) and the operator…");
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            Nodes = SimulatedClusterOptions.NodeSpecs(_options.Nodes, layout.PfsPerNode),
            WorkDirectory = work,
            LoggerFactory = loggers,
            MaxConcurrentMigrations = _options.MaxConcurrentMigrations ?? _options.DefaultConcurrency,
            Migrations = new MigrationOptions { PollInterval = TimeSpan.FromSeconds(2) },
            AccessControl = _options.AccessControl,
        }, cancellationToken).ConfigureAwait(false);
        await cluster.ApplySamplePoolAsync(layout.PoolNumVfsOverride, cancellationToken).ConfigureAwait(false);
        await cluster.WaitForProvisionedAsync(n => layout.VfsPerPf * n.Spec.PfCount, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        // The API server, the operator and the agents this process runs stand in for long-running processes, which have
        // compiled their code (CodeWarmUp) and collected the garbage of their start long before a migration comes: the
        // demo measures migrations, not start-up. Without the collection, the first garbage collection after the
        // warm-up's reflection fell inside the one-migration demo's window in 1 of 10 runs (Suspend 18 ms instead of 2).
        await CodeWarmUp.AllStarted().WaitAsync(cancellationToken).ConfigureAwait(false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var setup = clock.Elapsed;
        Progress(string.Create(CultureInfo.InvariantCulture, $"Pool provisioned on every node in {setup.TotalSeconds:0.0} s; creating {_options.Migrations} migration(s)…"));

        await using var tracker = new MigrationTracker(cluster.Migrations, clock);
        await tracker.StartAsync(cancellationToken).ConfigureAwait(false);
        var plan = await DemoLayout.AssignAsync(cluster, layout, _options.Migrations, cancellationToken).ConfigureAwait(false);
        foreach (var item in plan)
        {
            failAt?.Arm(cluster.Node(item.SourceNode), cluster.Node(item.DestinationNode), 1);
        }

        var windowStart = DateTimeOffset.UtcNow;
        var started = clock.Elapsed;
        var done = RunMigrationsAsync(cluster, tracker, plan, cancellationToken);
        await ShowProgressAsync(tracker, done).ConfigureAwait(false);
        var timedOut = !await done.ConfigureAwait(false);
        var wall = clock.Elapsed - started;
        var windowEnd = DateTimeOffset.UtcNow;

        Report = await BuildReportAsync(cluster, tracker, failAt, timedOut, setup, wall, windowStart, windowEnd, logFile, cancellationToken)
            .ConfigureAwait(false);
        if (_options.Json)
        {
            await _output.WriteLineAsync(DemoJson.Serialize(Report)).ConfigureAwait(false);
        }
        else
        {
            SummaryWriter.Write(_console, Report);
        }

        if (_options.KeepRunning)
        {
            await KeepRunningAsync(cluster, cancellationToken).ConfigureAwait(false);
        }

        return Report.Passed ? ExitPassed : ExitFailed;
    }

    /// <summary>Creates every migration and waits until all are terminal; false on timeout.</summary>
    private async Task<bool> RunMigrationsAsync(SimulatedCluster cluster, MigrationTracker tracker, IReadOnlyList<DemoMigration> plan, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            tracker.Track(item.Name);
            await cluster.CreateMigrationAsync(item.Name, item.SourceNode, item.SourceVf, item.DestinationNode, cancellationToken: ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            await tracker.WaitAllTerminalAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ShowProgressAsync(MigrationTracker tracker, Task done)
    {
        if (_options.Quiet || _options.Json)
        {
            await done.ConfigureAwait(false);
            return;
        }

        if (_options.LiveTable ?? !Console.IsOutputRedirected)
        {
            await LiveTableView.RunAsync(_console, tracker, done).ConfigureAwait(false);
            return;
        }

        using var plain = new PlainProgressView(_output, tracker);
        await done.ConfigureAwait(false);
    }

    private async Task<DemoReport> BuildReportAsync(
        SimulatedCluster cluster, MigrationTracker tracker, FailAtStep? failAt, bool timedOut, TimeSpan setup, TimeSpan wall,
        DateTimeOffset windowStart, DateTimeOffset windowEnd, string logFile, CancellationToken cancellationToken)
    {
        var now = tracker.Now;
        var tracked = tracker.Snapshot();
        var expected = failAt is null ? MigrationPhase.Succeeded : MigrationPhase.Failed;
        var problems = new List<string>();
        if (timedOut)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"not every migration finished within {_options.Timeout.TotalSeconds:0} s"));
        }

        foreach (var t in tracked.Where(t => t.IsTerminal && t.Phase != expected))
        {
            problems.Add($"{t.Name} ended {t.Phase}{(t.Latest?.Status?.FailureReason is { } r ? " (" + r + ")" : "")}, expected {expected}");
        }

        if (failAt is not null)
        {
            problems.AddRange(RollbackCheck.Problems(tracked.Select(t => t.Latest).OfType<V1Alpha1NvmeMigration>().ToList()));
        }

        var finished = tracked.Where(t => t.IsTerminal).Select(t => t.Latest!).ToList();
        problems.AddRange(TimelineCheck.Problems(finished));
        problems.AddRange(TraceCheck.Problems(finished));
        problems.AddRange(await LeakCheck.RunAsync(cluster, finished, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false));
        var latencies = tracked.Where(t => t.IsTerminal).Select(t => t.Elapsed(now).TotalSeconds).ToList();
        var downtimes = finished.Where(m => m.Status?.Phase == MigrationPhase.Succeeded)
            .Select(m => MigrationReports.DowntimeMs(m.Status!.Downtime)).OfType<double>().ToList();
        var traces = finished.Select(m => CriticalSectionTrace.Of(m, out _)).OfType<CriticalSectionTrace>().ToList();
        return new DemoReport
        {
            Nodes = _options.Nodes,
            Migrations = _options.Migrations,
            FailAt = failAt?.Step,
            Expected = expected.ToString(),
            Passed = problems.Count == 0,
            Problems = problems,
            Figures = RunFigures.Compute(cluster.Server.Audit.Snapshot(), windowStart, windowEnd, latencies, downtimes, traces, _options.Migrations, setup, wall),
            Items = tracked.Select(t => MigrationReports.From(t, now)).ToList(),
            KubeConfigPath = _options.KeepRunning ? cluster.Server.KubeConfigPath : null,
            LogFile = _options.WorkDirectory is not null || _options.KeepRunning ? logFile : null,
        };
    }

    private async Task KeepRunningAsync(SimulatedCluster cluster, CancellationToken cancellationToken)
    {
        await _output.WriteLineAsync($"The cluster keeps running. kubeconfig: {cluster.Server.KubeConfigPath}").ConfigureAwait(false);
        await _output.WriteLineAsync($"try: KUBECONFIG={cluster.Server.KubeConfigPath} kubectl get nvmenodes,nvmemigrations -A").ConfigureAwait(false);
        await _output.WriteLineAsync($"Ctrl-C or kill {Environment.ProcessId} (SIGTERM) stops it and removes its work directory.").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _output.WriteLineAsync("stopping").ConfigureAwait(false);
        }
    }

    private void Progress(string message)
    {
        if (!_options.Quiet && !_options.Json)
        {
            _output.WriteLine(message);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
