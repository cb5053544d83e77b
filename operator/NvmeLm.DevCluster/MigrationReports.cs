using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster;

/// <summary>Turns what the tracker saw into <see cref="MigrationReport"/>s.</summary>
public static class MigrationReports
{
    public static MigrationReport From(TrackedMigration tracked, TimeSpan now)
    {
        var status = tracked.Latest?.Status;
        return new MigrationReport(
            tracked.Name,
            tracked.Phase.ToString(),
            status?.FailureReason,
            Math.Round(tracked.Elapsed(now).TotalSeconds, 3),
            DowntimeMs(status?.Downtime),
            status?.Downtime?.ResumedOn,
            Endpoint(status?.Source),
            Endpoint(status?.Destination),
            status?.StateSizeBytes,
            status?.StateSha256,
            (status?.Steps ?? []).Select(Step).ToList());
    }

    /// <summary>The downtime to the microsecond the status' times carry (its <c>milliseconds</c> field is rounded).</summary>
    public static double? DowntimeMs(DeviceDowntime? downtime) =>
        downtime is { SuspendedAt: { } suspended, ResumedAt: { } resumed } ? Math.Round((resumed - suspended).TotalMilliseconds, 3) : null;

    private static EndpointReport? Endpoint(ResolvedEndpoint? endpoint) =>
        endpoint is null ? null : new EndpointReport(endpoint.Node, endpoint.PfAddress, endpoint.VfAddress, endpoint.Scid);

    private static StepReport Step(MigrationStep step) => new(
        step.Name,
        step.Node,
        step.Result.ToString(),
        step.StartedAt,
        step.FinishedAt,
        step.StartedAt is { } start && step.FinishedAt is { } end ? Math.Round((end - start).TotalMilliseconds, 1) : null,
        step.Message);
}
