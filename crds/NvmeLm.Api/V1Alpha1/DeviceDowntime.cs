using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>
/// The VM-visible cost of a migration (DESIGN §4.1): how long the VF's controller was stopped, from the start of
/// Suspend on the source to the end of Resume on the destination (or, after a rollback, on the source again).
/// Both times are the agents' own, with microsecond precision (Kubernetes MicroTime).
/// </summary>
[Description("Device downtime: from the start of Suspend on the source to the end of Resume on the destination, or on the source after a rollback.")]
public sealed class DeviceDowntime
{
    [Description("When the source agent started suspending the controller (its clock, microsecond precision).")]
    public DateTime? SuspendedAt { get; set; }

    [Description("When the controller ran again: Resume finished on resumedOn (that agent's clock, microsecond precision).")]
    public DateTime? ResumedAt { get; set; }

    [Minimum(0)]
    [Description("resumedAt - suspendedAt in milliseconds, rounded; the two times come from the two nodes' clocks (NTP-synchronised in a cluster, one clock in the simulated cluster).")]
    public long? Milliseconds { get; set; }

    [Description("When the operator read the Resume result that ends the downtime (the operator's clock): the end of the critical section's trace.")]
    public DateTime? ObservedAt { get; set; }

    [Pattern(ApiPatterns.NodeName)]
    [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
    [Description("The node whose controller resumed: the destination once committed, the source after a rollback.")]
    public string? ResumedOn { get; set; }
}
