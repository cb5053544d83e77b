namespace NvmeLm.DevCluster.Trace;

/// <summary>
/// One hop of a migration's critical-section trace: from one recorded instant to the next, how long it took, and whose
/// clock(s) took the two instants (<c>source</c>, <c>destination</c>, <c>operator</c>, or <c>a→b</c> when the hop
/// crosses machines, where the clocks' offset adds to it; one clock in the simulated cluster).
/// </summary>
public sealed record TraceHop(string Name, string Clock, bool InDowntime, double Milliseconds);
