using System.CommandLine;

namespace NvmeLm.DevCluster;

/// <summary>
/// <c>demo</c>: the README's first command. Runs the whole system in this process on emulated NVMe hardware
/// and migrates VFs between nodes; see <see cref="DemoRunner"/> for what it does and what its exit code means.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Emulated nodes (each with an agent and NVMe PFs with SR-IOV and live migration)", DefaultValueFactory = _ => 2 };
        var migrations = new Option<int>("--migrations") { Description = "NvmeMigrations to run (source on node i, destination on node i+1)", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int?>("--max-concurrent-migrations")
        {
            Description = $"Migrations the operator reconciles at once (default: {DemoOptions.MigrationsPerProcessor} per processor, at least 8, at most --migrations)",
        };
        var failAt = new Option<string?>("--fail-at")
        {
            Description = $"Inject an NVMe error at this step to show the rollback; the demo then passes when every migration rolls back cleanly to Failed. One of: {FailAtStep.Choices}",
        };
        var keepRunning = new Option<bool>("--keep-running") { Description = "Keep the cluster up after the summary and print the kubeconfig path (Ctrl-C or SIGTERM stops it and removes its work directory)" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output" };
        var json = new Option<bool>("--json") { Description = "Print the machine-readable report (JSON) instead of the summary" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for every migration to finish", DefaultValueFactory = _ => 300 };
        var accessControl = new Option<bool>("--access-control") { Description = "Enforce RBAC and admission policies (the chart's grants; an agent may change only its own NvmeNode)" };
        var kubevirt = new Option<bool>("--kubevirt")
        {
            Description = "Show the KubeVirt bridge on a simulated VMI with a pool VF: today's KubeVirt refusing it, then the stateTransfer: Vmm flow of a hypothetical KubeVirt that migrates VFIO devices",
        };
        var command = new Command("demo", "Run operator + node agents on emulated nodes against the embedded API server and migrate NVMe VFs")
        {
            nodes, migrations, concurrency, failAt, keepRunning, quiet, json, timeout, accessControl, kubevirt,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                Nodes = parse.GetValue(nodes),
                Migrations = parse.GetValue(migrations),
                MaxConcurrentMigrations = parse.GetValue(concurrency),
                FailAt = parse.GetValue(failAt),
                KeepRunning = parse.GetValue(keepRunning),
                Quiet = parse.GetValue(quiet),
                Json = parse.GetValue(json),
                Timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                AccessControl = parse.GetValue(accessControl),
                KubeVirt = parse.GetValue(kubevirt),
            };
            return await new DemoRunner(options, Console.Out, Console.Error).RunAsync(cancellationToken);
        });
        return command;
    }
}
