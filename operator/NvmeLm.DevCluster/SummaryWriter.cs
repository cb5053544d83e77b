using System.Globalization;
using Spectre.Console;

namespace NvmeLm.DevCluster;

/// <summary>
/// The human summary: per migration (the first few in full) the step timeline, where the VF went and the moved
/// state; then the outcome table, the figures, and any problem. Plain text when the console is not a terminal.
/// </summary>
public static class SummaryWriter
{
    /// <summary>Migrations shown with their full timeline; the rest only in the outcome table.</summary>
    public const int DetailedMigrations = 3;

    /// <summary>Rows of the outcome table before it is cut short (the JSON has every migration).</summary>
    public const int TableRows = 20;

    public static void Write(IAnsiConsole console, DemoReport report)
    {
        foreach (var item in report.Items.Take(DetailedMigrations))
        {
            WriteTimeline(console, item);
        }

        var outcomes = new Table().Title("Migrations").AddColumns("name", "phase", "reason", "source (node / VF / SCID)", "destination (node / VF / SCID)", "state", "downtime", "latency");
        foreach (var item in report.Items.Take(TableRows))
        {
            outcomes.AddRow(
                Markup.Escape(item.Name),
                PhaseMarkup(item.Phase),
                Markup.Escape(item.FailureReason ?? ""),
                Markup.Escape(Endpoint(item.Source)),
                Markup.Escape(Endpoint(item.Destination)),
                Markup.Escape(item.StateSizeBytes is long size ? $"{size} B sha256 {item.StateSha256?[..12]}…" : "-"),
                item.DowntimeMs is double down ? F(down) + " ms" : "-",
                F(item.LatencySeconds) + " s");
        }

        console.Write(outcomes);
        if (report.Items.Count > TableRows)
        {
            console.MarkupLine($"[grey]… and {report.Items.Count - TableRows} more (see --json)[/]");
        }

        var f = report.Figures;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.Migrations} migration(s) on {report.Nodes} node(s): wall {f.WallSeconds:0.###} s (setup {f.SetupSeconds:0.###} s), latency p50 {f.P50Seconds:0.###} s p99 {f.P99Seconds:0.###} s, "
            + $"device downtime p50 {f.DowntimeP50Ms:0.###} ms p99 {f.DowntimeP99Ms:0.###} ms max {f.DowntimeMaxMs:0.###} ms, "
            + $"{f.RequestsPerMigration:0.#} API requests / {f.WritesPerMigration:0.#} writes per migration, peak memory {f.PeakWorkingSetMiB:0.#} MiB")));
        WriteCriticalSection(console, f);
        foreach (var problem in report.Problems)
        {
            console.MarkupLine("[red]problem:[/] " + Markup.Escape(problem));
        }

        console.MarkupLine(report.Passed
            ? $"[green]PASS[/]: every migration ended {Markup.Escape(report.Expected)}" + (report.FailAt is null ? "" : " with a clean rollback") + " and nothing leaked."
            : "[red]FAIL[/]: see the problems above.");
        if (report.LogFile is not null)
        {
            console.MarkupLine($"[grey]logs: {Markup.Escape(report.LogFile)}[/]");
        }
    }

    /// <summary>Where the downtime goes: p50/p99/max per hop of the critical-section trace.</summary>
    private static void WriteCriticalSection(IAnsiConsole console, RunFigures f)
    {
        if (f.CriticalSection.All(h => h.Samples == 0))
        {
            return;
        }

        var table = new Table().Title("critical section: Suspend requested → Resume observed (ms)").AddColumns("hop", "clock", "in downtime", "p50", "p99", "max");
        foreach (var hop in f.CriticalSection)
        {
            table.AddRow(Markup.Escape(hop.Name), Markup.Escape(hop.Clock), hop.InDowntime ? "yes" : "", F(hop.P50Ms), F(hop.P99Ms), F(hop.MaxMs));
        }

        console.Write(table);
    }

    private static void WriteTimeline(IAnsiConsole console, MigrationReport item)
    {
        var first = item.Steps.Select(s => s.StartedAt).Where(t => t is not null).DefaultIfEmpty(null).Min();
        var table = new Table()
            .Title($"{Markup.Escape(item.Name)}: {PhaseMarkup(item.Phase)}{(item.FailureReason is null ? "" : " (" + Markup.Escape(item.FailureReason) + ")")}")
            .AddColumns("step", "node", "result", "at", "took", "detail");
        foreach (var step in item.Steps)
        {
            var at = step.StartedAt is { } start && first is { } origin ? "+" + F((start - origin).TotalSeconds) + " s" : "";
            table.AddRow(
                Markup.Escape(step.Name),
                Markup.Escape(step.Node ?? "operator"),
                ResultMarkup(step.Result),
                at,
                step.DurationMs is double ms ? F(ms) + " ms" : "",
                Markup.Escape(Shorten(step.Message ?? "", 40)));
        }

        console.Write(table);
        console.MarkupLine("  VF: " + Markup.Escape(Endpoint(item.Source)) + " → " + Markup.Escape(Endpoint(item.Destination)));
        if (item.StateSizeBytes is long size)
        {
            console.MarkupLine(Markup.Escape($"  controller state: {size} bytes, sha256 {item.StateSha256}"));
        }

        if (item.DowntimeMs is double downtime)
        {
            console.MarkupLine(Markup.Escape($"  device downtime: {F(downtime)} ms (Suspend on the source to Resume on {item.ResumedOn})"));
        }
    }

    private static string Endpoint(EndpointReport? endpoint) =>
        endpoint is null ? "-" : $"{endpoint.Node} / {endpoint.VfAddress ?? "?"} / {(endpoint.Scid is int scid ? scid.ToString(CultureInfo.InvariantCulture) : "?")}";

    private static string PhaseMarkup(string phase) => phase switch
    {
        "Succeeded" => "[green]Succeeded[/]",
        "Failed" => "[red]Failed[/]",
        "RollingBack" => "[yellow]RollingBack[/]",
        _ => Markup.Escape(phase),
    };

    private static string ResultMarkup(string result) => result switch
    {
        "Succeeded" => "[green]Succeeded[/]",
        "Failed" => "[red]Failed[/]",
        "RolledBack" => "[yellow]RolledBack[/]",
        _ => Markup.Escape(result),
    };

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
