using NvmeLm.Hardware.Host;
using NvmeLm.TestSupport;

namespace NvmeLm.NodeAgent.Tests;

/// <summary><c>save-state --out FILE</c> replaces FILE whole or not at all, whatever step its process dies after.</summary>
public sealed class SaveStateDurabilityTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<AtomicWriteStep> Steps => [.. Enum.GetValues<AtomicWriteStep>()];

    [Theory]
    [MemberData(nameof(Steps))]
    public void SaveState_Should_LeaveTheOldOrTheNewStateFile_When_TheProcessDiesAfterAnyStepOfTheWrite(AtomicWriteStep crashAfter)
    {
        Assert.Equal(0, _cli.Run("prepare-source", "--pf", CliHarness.Source, "--vfs", "2", "--queues", "2", "--interrupts", "1").ExitCode);
        string file = _cli.PathOf("vf.state");
        string reference = _cli.PathOf("scid2.state");
        Assert.Equal(0, _cli.Run("save-state", "--pf", CliHarness.Source, "--scid", "1", "--out", file).ExitCode);
        byte[] old = File.ReadAllBytes(file);

        CliRun crashed = _cli.RunWith(new AtomicFileWriter(SimulatedCrash.After(crashAfter, onlyTarget: file)),
            "save-state", "--pf", CliHarness.Source, "--scid", "2", "--out", file);
        Assert.Contains($"simulated crash after {crashAfter}", crashed.Error, StringComparison.Ordinal);

        // What the crashed run was writing: SCID 2's state, saved again in full (the controller stays suspended).
        Assert.Equal(0, _cli.Run("save-state", "--pf", CliHarness.Source, "--scid", "2", "--out", reference).ExitCode);
        byte[] expected = crashAfter >= AtomicWriteStep.Renamed ? File.ReadAllBytes(reference) : old;
        Assert.NotEqual(old, File.ReadAllBytes(reference));
        Assert.Equal(expected, File.ReadAllBytes(file));
    }
}
