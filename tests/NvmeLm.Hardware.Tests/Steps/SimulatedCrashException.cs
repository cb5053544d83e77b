namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>Thrown by a test hook to stop a step between two host writes, as a killed agent would.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException(string action)
        : base("simulated crash before: " + action)
    {
    }
}
