namespace NvmeLm.DevCluster;

/// <summary>The <c>demo</c> command's options (see <see cref="DemoCommand"/>).</summary>
public sealed record DemoOptions
{
    public int Nodes { get; init; } = 2;

    public int Migrations { get; init; } = 1;

    /// <summary>
    /// Migrations the operator reconciles at once (its <c>--max-concurrent-migrations</c>); null: <see cref="DefaultConcurrency"/>.
    /// </summary>
    public int? MaxConcurrentMigrations { get; init; }

    /// <summary>In-flight migrations per processor when <see cref="MaxConcurrentMigrations"/> is not given.</summary>
    public const int MigrationsPerProcessor = 16;

    /// <summary>
    /// <see cref="MigrationsPerProcessor"/> per processor, at least 8 and at most <see cref="Migrations"/>. The whole
    /// cluster runs in this process, so more migrations in flight than its processors keep busy only queue on them:
    /// on 2 cores, 500 migrations on 100 nodes, 32 at once finished 1–2 s sooner than 64 with a device downtime p99 of
    /// 494–598 ms instead of 867–954 (operator README, issue 12).
    /// </summary>
    public int DefaultConcurrency => Math.Clamp(MigrationsPerProcessor * Environment.ProcessorCount, 8, Math.Max(8, Migrations));

    /// <summary>A step of <see cref="FailAtStep.All"/> to fail on purpose (shows the rollback), or null.</summary>
    public string? FailAt { get; init; }

    /// <summary>After the summary, keep the cluster up and print the kubeconfig path until SIGTERM or SIGINT (Ctrl-C).</summary>
    public bool KeepRunning { get; init; }

    /// <summary>No progress output (the summary is still printed unless <see cref="Json"/>).</summary>
    public bool Quiet { get; init; }

    /// <summary>Print the machine-readable report (JSON) instead of the human summary.</summary>
    public bool Json { get; init; }

    /// <summary>How long to wait for every migration to finish before giving up (exit 1).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Force the progress style: null picks the live table on a terminal, plain lines otherwise.</summary>
    public bool? LiveTable { get; init; }

    /// <summary>Enforce RBAC and admission policies (the chart's grants for the demo's identities; see <see cref="DemoAccessControl"/>).</summary>
    public bool AccessControl { get; init; }

    /// <summary>Where the journals, kubeconfig and log go; null: a temporary directory, removed when the demo ends or is stopped.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>
    /// Run the KubeVirt bridge demo instead (<see cref="KubeVirt.KubeVirtDemo"/>: two nodes, one VMI, today's refusal
    /// then the Vmm flow of a KubeVirt that migrates VFIO devices); --nodes and --migrations do not apply.
    /// </summary>
    public bool KubeVirt { get; init; }

    /// <summary>Returns the first problem with the options, or null.</summary>
    public string? Validate()
    {
        if (KubeVirt && (FailAt is not null || KeepRunning))
        {
            return "--kubevirt runs its own two scenarios; it takes neither --fail-at nor --keep-running";
        }

        if (Nodes < 2)
        {
            return "--nodes must be at least 2 (a migration moves a VF between two nodes)";
        }

        if (Migrations < 1)
        {
            return "--migrations must be at least 1";
        }

        if (MaxConcurrentMigrations < 1)
        {
            return "--max-concurrent-migrations must be at least 1";
        }

        if (FailAt is not null)
        {
            if (FailAtStep.Find(FailAt) is null)
            {
                return $"--fail-at {FailAt}: unknown step; choose one of {FailAtStep.Choices}";
            }

            if (Nodes < 2 * Migrations)
            {
                return $"--fail-at needs a node pair per migration (--nodes >= 2 x --migrations = {2 * Migrations}) so each fault hits only its own migration";
            }
        }

        return null;
    }
}
