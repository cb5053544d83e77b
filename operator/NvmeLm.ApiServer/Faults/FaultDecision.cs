namespace NvmeLm.ApiServer.Faults;

/// <summary>What the fault injector wants done to one request: a delay first, then maybe a failure.</summary>
internal readonly record struct FaultDecision(TimeSpan Delay, int StatusCode, bool GoneOnWatch)
{
    public bool Fails => StatusCode != 0;
}
