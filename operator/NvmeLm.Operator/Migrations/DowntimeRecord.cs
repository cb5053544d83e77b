using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Fills <c>status.downtime</c> (DESIGN §4.1): suspended at the start of the source's Suspend, resumed at the end of
/// the Resume that ran the controller again, on the destination (committed) or on the source (rolled back).
/// </summary>
internal static class DowntimeRecord
{
    /// <summary>
    /// Records that the controller runs again on <paramref name="node"/> since <paramref name="resume"/> finished, and
    /// that the operator read that at <paramref name="observedAt"/> (its clock; the end of the critical section's trace).
    /// </summary>
    public static void Resumed(V1Alpha1NvmeMigration.EntityStatus status, NodeOperationResult resume, string node, DateTime observedAt)
    {
        if (status.Downtime?.SuspendedAt is not { } suspended || resume.FinishedAt is not { } resumed)
        {
            return;
        }

        status.Downtime.ResumedAt = resumed;
        status.Downtime.ResumedOn = node;
        status.Downtime.ObservedAt ??= observedAt;
        // Two agents' clocks (one in the simulated cluster): a skew can only make it look shorter, never below zero.
        status.Downtime.Milliseconds = (long)Math.Round(Math.Max(0, (resumed - suspended).TotalMilliseconds), MidpointRounding.AwayFromZero);
    }
}
