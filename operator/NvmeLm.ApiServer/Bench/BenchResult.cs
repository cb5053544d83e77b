namespace NvmeLm.ApiServer.Bench;

/// <summary>What one bench run measured.</summary>
public sealed record BenchResult(
    int Clients,
    int ObjectsPerClient,
    int StoredObjects,
    long WriteRequests,
    double WriteSeconds,
    double AllEventsSeconds,
    double RequestsPerSecond,
    double WatchLatencyP50Ms,
    double WatchLatencyP99Ms,
    int LatencySamples,
    long ManagedBytesForStore,
    long WorkingSetBytes)
{
    /// <summary>Process CPU time (server and clients, all threads) during the write phase, per write request.</summary>
    public double CpuMicrosecondsPerRequest { get; init; }

    public double ColdStartMs { get; init; }

    public double WarmStartMs { get; init; }

    public double WarmStopMs { get; init; }
}
