namespace NvmeLm.DevCluster;

/// <summary>The demo's result, printed as a summary or as JSON (<c>--json</c>).</summary>
public sealed record DemoReport
{
    public required int Nodes { get; init; }

    public required int Migrations { get; init; }

    /// <summary>The step <c>--fail-at</c> injected a fault into, or null.</summary>
    public string? FailAt { get; init; }

    /// <summary>What the run expected: <c>Succeeded</c>, or with <c>--fail-at</c> a clean rollback (<c>Failed</c>).</summary>
    public required string Expected { get; init; }

    /// <summary>True when every migration ended as expected and nothing leaked (exit code 0).</summary>
    public required bool Passed { get; init; }

    /// <summary>Why the run did not pass: unexpected outcomes, leaks, timeouts.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    public required RunFigures Figures { get; init; }

    public required IReadOnlyList<MigrationReport> Items { get; init; }

    public string? KubeConfigPath { get; init; }

    public string? LogFile { get; init; }
}

/// <summary>
/// One migration: its outcome, where the VF went, the moved state, the device downtime (milliseconds from the status'
/// suspended-at and resumed-at, and where it resumed), and the step timeline.
/// </summary>
public sealed record MigrationReport(
    string Name,
    string Phase,
    string? FailureReason,
    double LatencySeconds,
    double? DowntimeMs,
    string? ResumedOn,
    EndpointReport? Source,
    EndpointReport? Destination,
    long? StateSizeBytes,
    string? StateSha256,
    IReadOnlyList<StepReport> Steps);

public sealed record EndpointReport(string Node, string? PfAddress, string? VfAddress, int? Scid);

public sealed record StepReport(string Name, string? Node, string Result, DateTime? StartedAt, DateTime? FinishedAt, double? DurationMs, string? Message);
