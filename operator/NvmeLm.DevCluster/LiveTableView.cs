using System.Globalization;
using NvmeLm.Api.V1Alpha1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NvmeLm.DevCluster;

/// <summary>
/// The terminal view: a live table of migrations (phase, current step and node, elapsed), refreshed a few
/// times a second until all are done. Running migrations first; the caption counts migrations per phase.
/// </summary>
public static class LiveTableView
{
    private const int MaxRows = 15;
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(150);

    public static Task RunAsync(IAnsiConsole console, MigrationTracker tracker, Task done) =>
        console.Live(Build(tracker)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            while (!done.IsCompleted)
            {
                context.UpdateTarget(Build(tracker));
                await Task.WhenAny(done, Task.Delay(s_refresh)).ConfigureAwait(false);
            }

            context.UpdateTarget(Build(tracker));
        });

    private static IRenderable Build(MigrationTracker tracker)
    {
        var now = tracker.Now;
        var all = tracker.Snapshot();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("migration", "phase", "step", "node", "elapsed");
        foreach (var tracked in all.OrderBy(t => t.IsTerminal).ThenBy(t => t.CreatedAt).Take(MaxRows))
        {
            var step = tracked.CurrentStep;
            table.AddRow(
                Markup.Escape(tracked.Name),
                Phase(tracked.Phase),
                Markup.Escape(step is null ? "" : $"{step.Name} ({step.Result})"),
                Markup.Escape(step?.Node ?? ""),
                tracked.Elapsed(now).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        }

        var counts = all.GroupBy(t => t.Phase).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        table.Caption($"{all.Count} migration(s): {string.Join(", ", counts)}{(all.Count > MaxRows ? $" — showing {MaxRows}" : "")}");
        return table;
    }

    private static string Phase(MigrationPhase phase) => phase switch
    {
        MigrationPhase.Succeeded => "[green]Succeeded[/]",
        MigrationPhase.Failed => "[red]Failed[/]",
        MigrationPhase.RollingBack => "[yellow]RollingBack[/]",
        _ => "[blue]" + phase + "[/]",
    };
}
