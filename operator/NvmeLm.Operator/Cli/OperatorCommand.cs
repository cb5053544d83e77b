using System.CommandLine;
using Microsoft.Extensions.Logging;
using NvmeLm.Operator.Hosting;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Cli;

/// <summary>
/// The operator's command line: every flag also reads an environment variable (what a Deployment sets), the
/// flag wins. Runs an <see cref="OperatorHost"/> until SIGTERM/Ctrl+C.
/// </summary>
internal static class OperatorCommand
{
    public static RootCommand Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Kubeconfig file; default: $KUBECONFIG, in-cluster service account, then ~/.kube/config",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } path && File.Exists(path) ? path : null,
        };
        var ns = new Option<string?>("--namespace")
        {
            Description = "Namespace whose NvmeMigrations to reconcile (env WATCH_NAMESPACE); default: all namespaces",
            DefaultValueFactory = _ => Env("WATCH_NAMESPACE", null),
        };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Elect a leader through a Lease so only one replica acts (env LEADER_ELECT)",
            DefaultValueFactory = _ => !string.Equals(Env("LEADER_ELECT", "true"), "false", StringComparison.OrdinalIgnoreCase),
        };
        var leaseName = new Option<string>("--lease-name")
        {
            Description = "Name of the leader-election Lease (env LEASE_NAME)",
            DefaultValueFactory = _ => Env("LEASE_NAME", "nvme-lm-operator")!,
        };
        var leaseNamespace = new Option<string>("--lease-namespace")
        {
            Description = "Namespace of the Lease (env LEASE_NAMESPACE, else POD_NAMESPACE)",
            DefaultValueFactory = _ => Env("LEASE_NAMESPACE", Env("POD_NAMESPACE", "nvme-lm-system"))!,
        };
        var identity = new Option<string>("--identity")
        {
            Description = "Holder identity in the Lease (env POD_NAME); default: host name plus a random suffix",
            DefaultValueFactory = _ => Env("POD_NAME", null) ?? $"{Environment.MachineName}_{Guid.NewGuid():N}",
        };
        var port = new Option<int>("--metrics-port")
        {
            Description = "Port of /healthz, /readyz and /metrics (env METRICS_PORT); 0 picks a free port",
            DefaultValueFactory = _ => int.TryParse(Env("METRICS_PORT", "8080"), out var p) ? p : 8080,
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Trace, Debug, Information, Warning, Error (env LOG_LEVEL)",
            DefaultValueFactory = _ => Enum.TryParse<LogLevel>(Env("LOG_LEVEL", "Information"), ignoreCase: true, out var level) ? level : LogLevel.Information,
        };
        var stateNamespace = new Option<string?>("--state-namespace")
        {
            Description = "Namespace of the migrations' state Secrets (env STATE_NAMESPACE); default: each migration's namespace",
            DefaultValueFactory = _ => Env("STATE_NAMESPACE", null),
        };
        var concurrency = new Option<int>("--max-concurrent-migrations")
        {
            Description = "Migrations reconciled at once",
            DefaultValueFactory = _ => 8,
        };

        var criticalPerNode = new Option<int>("--max-critical-sections-per-node")
        {
            Description = "Migrations inside their critical section (source suspended, destination not yet resumed) at once on one node; more wait, prepared",
            DefaultValueFactory = _ => new MigrationOptions().MaxCriticalSectionsPerNode,
        };

        var root = new RootCommand("nvme-lm operator: renders NvmeVfPools onto NvmeNodes and runs NvmeMigrations as two-node transactions with rollback.")
        {
            kubeconfig, ns, leaderElect, leaseName, leaseNamespace, identity, port, logLevel, stateNamespace, concurrency, criticalPerNode,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535)
            {
                Console.Error.WriteLine("--metrics-port must be 0..65535.");
                return 2;
            }

            if (parse.GetValue(concurrency) < 1)
            {
                Console.Error.WriteLine("--max-concurrent-migrations must be at least 1.");
                return 2;
            }

            if (parse.GetValue(criticalPerNode) < 1)
            {
                Console.Error.WriteLine("--max-critical-sections-per-node must be at least 1.");
                return 2;
            }

            using var loggers = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(parse.GetValue(logLevel))
                .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; }));
            var options = new OperatorHostOptions
            {
                KubeconfigPath = parse.GetValue(kubeconfig),
                Namespace = parse.GetValue(ns),
                LeaderElection = parse.GetValue(leaderElect),
                LeaseName = parse.GetValue(leaseName)!,
                LeaseNamespace = parse.GetValue(leaseNamespace)!,
                Identity = parse.GetValue(identity)!,
                HttpPort = parse.GetValue(port),
                MaxConcurrentMigrations = parse.GetValue(concurrency),
                Migrations = new MigrationOptions { MaxCriticalSectionsPerNode = parse.GetValue(criticalPerNode), StateNamespace = parse.GetValue(stateNamespace) },
                LoggerFactory = loggers,
            };
            await using var host = await OperatorHost.StartAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM / Ctrl+C: dispose stops the controllers and releases the lease.
            }

            return 0;
        });
        return root;
    }

    private static string? Env(string name, string? fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
