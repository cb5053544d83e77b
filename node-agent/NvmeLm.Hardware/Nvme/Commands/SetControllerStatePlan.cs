using static NvmeLm.Hardware.Nvme.MigrationFields;

namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>
/// The Migration Send (Set Controller State) commands that write one whole controller state (reference §4a): chunks of
/// at most the chunk size, each with its byte offset and SEQIND "only" for a single chunk, otherwise "first",
/// "middle"…, "last". Computed once and used twice: a dry run lists exactly these commands and
/// <see cref="NvmeAdminClient.SetControllerState(SetControllerStatePlan, ReadOnlySpan{byte})"/> sends exactly these.
/// </summary>
public sealed record SetControllerStatePlan
{
    private SetControllerStatePlan(int stateLength, IReadOnlyList<SetControllerStateChunk> chunks)
    {
        StateLength = stateLength;
        Chunks = chunks;
    }

    /// <summary>The length of the state the plan writes; the executor refuses a state of another length.</summary>
    public int StateLength { get; }

    public IReadOnlyList<SetControllerStateChunk> Chunks { get; }

    /// <summary>
    /// The plan for a state of <paramref name="stateLength"/> bytes. The state must be a whole number of dwords (NUMD counts
    /// dwords) and the chunk a positive multiple of 4; both are checked here, so before any command.
    /// </summary>
    public static SetControllerStatePlan For(
        ushort secondaryControllerId, int stateLength, int chunkBytes = NvmeAdminClient.DefaultStateChunkBytes, byte stateVersionIndex = 0, byte stateUuidIndex = 0)
    {
        if (stateLength <= 0 || stateLength % 4 != 0)
        {
            throw new ArgumentException($"A controller state is a whole number of dwords; {stateLength} bytes is not a positive multiple of 4.", nameof(stateLength));
        }

        NvmeAdminClient.ValidateChunk(chunkBytes);
        int count = (stateLength + chunkBytes - 1) / chunkBytes;
        var chunks = new SetControllerStateChunk[count];
        for (int i = 0; i < count; i++)
        {
            int offset = i * chunkBytes;
            int length = Math.Min(chunkBytes, stateLength - offset);
            byte sequence = count == 1 ? SequenceOnly
                : i == 0 ? SequenceFirst
                : i == count - 1 ? SequenceLast
                : SequenceMiddle;
            chunks[i] = new SetControllerStateChunk(offset, length,
                MigrationSendCommand.SetControllerState(secondaryControllerId, sequence, (ulong)offset, length, stateVersionIndex, stateUuidIndex));
        }

        return new SetControllerStatePlan(stateLength, chunks);
    }
}
