using System.CommandLine;
using System.Globalization;
using NvmeLm.ApiServer.Bench;
using Spectre.Console;

namespace NvmeLm.ApiServer.Cli;

/// <summary><c>bench --clients N --objects M [--access-control]</c>: the API server benchmark (run by hand, Release build).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent clients", DefaultValueFactory = _ => 10 };
        var objects = new Option<int>("--objects") { Description = "Objects each client creates and updates", DefaultValueFactory = _ => 1000 };
        var accessControl = new Option<bool>("--access-control") { Description = "Enforce RBAC and an admission policy on every request (measures their cost)" };
        var command = new Command("bench", "Measure requests/s, watch latency and memory of the embedded API server") { clients, objects, accessControl };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await new ApiBenchmark(parse.GetValue(clients), parse.GetValue(objects), parse.GetValue(accessControl)).RunAsync(cancellationToken);
            var table = new Table().AddColumn("Measure").AddColumn("Value");
            table.AddRow("server start (cold / warm) and stop", $"{result.ColdStartMs:F0} ms / {result.WarmStartMs:F0} ms, stop {result.WarmStopMs:F0} ms");
            table.AddRow("clients × objects", $"{result.Clients} × {result.ObjectsPerClient} = {result.Clients * result.ObjectsPerClient:N0} bench objects ({result.StoredObjects:N0} stored in all)");
            table.AddRow("write requests (create + spec patch + status patch)", result.WriteRequests.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("write phase", $"{result.WriteSeconds:F2} s");
            table.AddRow("requests/s", result.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("CPU per write request (server + clients)", $"{result.CpuMicrosecondsPerRequest:F0} µs");
            table.AddRow("write→watch latency p50", $"{result.WatchLatencyP50Ms:F2} ms");
            table.AddRow("write→watch latency p99", $"{result.WatchLatencyP99Ms:F2} ms ({result.LatencySamples:N0} samples)");
            table.AddRow("managed heap held by the store", $"{result.ManagedBytesForStore / 1048576.0:F1} MiB ({result.ManagedBytesForStore / Math.Max(1, result.StoredObjects):N0} B/object incl. watch history)");
            table.AddRow("process working set", $"{result.WorkingSetBytes / 1048576.0:F0} MiB");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
