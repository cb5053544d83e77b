namespace NvmeLm.TestSupport;

/// <summary>Thrown by a test seam to stop the code under test at a step boundary, as a kill or a power cut would.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException(string message)
        : base(message)
    {
    }
}
