using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// One Set Controller State plan for the dry run and the executor: what <c>restore-state --dry-run</c> lists is, command
/// for command, what the emulated controller then receives.
/// </summary>
public sealed class SetControllerStatePlanTests : IDisposable
{
    /// <summary>Three chunks of the 64 KiB default: first, middle, and a short last one.</summary>
    private const int StateBytes = (2 * NvmeAdminClient.DefaultStateChunkBytes) + 18_928;

    private readonly StepFixture _fixture;

    public SetControllerStatePlanTests()
    {
        EmulatedHostConfig config = StepFixture.Config();
        foreach (EmulatedPfConfig pf in config.PhysicalFunctions)
        {
            pf.ControllerStateSize = StateBytes;
        }

        _fixture = new StepFixture(config);
        _fixture.PrepareMigrationPair();
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void RestoreState_Should_SendExactlyTheCommandsItsDryRunListed()
    {
        byte[] state;
        using (var context = _fixture.Context())
        {
            new SuspendStep(context).Run(StepFixture.Source, 1);
            state = new SaveStateStep(context).Run(StepFixture.Source, 1).State!.Data;
        }

        NvmeCommandView[] planned;
        using (var dryRun = _fixture.Context(dryRun: true))
        {
            planned = SetStateCommands(new RestoreStateStep(dryRun).Run(StepFixture.Destination, 2, state, null, "test"));
        }

        _fixture.Host.WriteLog.Clear();
        using (var context = _fixture.Context())
        {
            new RestoreStateStep(context).Run(StepFixture.Destination, 2, state, null, "test");
        }

        // Each SQE as the controller received it: the raw entry's fields, the command's name and data length.
        NvmeCommandView[] sent = _fixture.Host.WriteLog.Records
            .Where(r => r.Opcode == NvmeAdminOpcode.MigrationSend)
            .Select(r => (Entry: NvmeSubmissionEntry.Decode(r.Submission), Command: MigrationSendCommand.Decode(r.Submission)))
            .Where(s => s.Command.Select == MigrationFields.SendSelectSetControllerState)
            .Select(s => NvmeAdminAction.View(s.Command.Name, s.Entry, s.Command.DataLength))
            .ToArray();
        Assert.Equal(3, planned.Length);
        Assert.Equal(
            [MigrationFields.SequenceFirst, MigrationFields.SequenceMiddle, MigrationFields.SequenceLast],
            planned.Select(p => (byte)((p.Cdw10 >> MigrationFields.ManagementOperationSpecificShift) & MigrationFields.SequenceIndicatorMask)));
        Assert.Equal(planned, sent);
        Assert.Equal(StateBytes, sent.Sum(c => c.DataLength));
    }

    [Fact]
    public void Plan_Should_BeOneOnlyChunk_When_TheStateFitsOneCommand()
    {
        SetControllerStatePlan plan = SetControllerStatePlan.For(7, 4096);

        SetControllerStateChunk only = Assert.Single(plan.Chunks);
        Assert.Equal((0, 4096, MigrationFields.SequenceOnly, (ushort)7), (only.Offset, only.Length, only.Command.SequenceIndicator, only.Command.ControllerId));
    }

    private static NvmeCommandView[] SetStateCommands(StepResult result) =>
        result.Actions.OfType<NvmeAdminAction>()
            .SelectMany(a => a.Submissions)
            .Where(c => c.Opcode == NvmeAdminOpcode.MigrationSend && (c.Cdw10 & MigrationFields.SelectMask) == MigrationFields.SendSelectSetControllerState)
            .ToArray();
}
