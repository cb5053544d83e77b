using NvmeLm.Hardware.Nvme.Commands;
using NvmeLm.Hardware.Nvme.Structures;

namespace NvmeLm.Hardware.Nvme;

/// <summary>
/// Typed admin commands on one controller (normally the PF's primary controller, <c>/dev/nvmeN</c>), over
/// <see cref="INvmeAdminDevice"/>, so it runs unchanged on the ioctl path and on the emulated controller.
/// A non-zero completion status becomes <see cref="NvmeCommandException"/> naming the command and the device;
/// transport failures stay <see cref="HostIoException"/>.
/// </summary>
public sealed class NvmeAdminClient
{
    /// <summary>Per-command timeout handed to the driver (<c>timeout_ms</c>); migration commands can be slow.</summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default chunk for Set/Get Controller State: 64 KiB stays under common MDTS limits (UNVERIFIED per device).</summary>
    public const int DefaultStateChunkBytes = 64 * 1024;

    /// <summary>Upper bound on a controller state; a header announcing more is treated as corrupt.</summary>
    public const long MaxControllerStateBytes = 64L * 1024 * 1024;

    private readonly INvmeAdminDevice _device;
    private readonly TimeSpan _timeout;

    public NvmeAdminClient(INvmeAdminDevice device, TimeSpan? commandTimeout = null)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _timeout = commandTimeout ?? DefaultCommandTimeout;
    }

    public string DevicePath => _device.DevicePath;

    public IdentifyController IdentifyController() =>
        Structures.IdentifyController.Parse(Identify(IdentifyCommand.Controller()));

    /// <summary>Identify CNS 0x14 for the primary <paramref name="controllerId"/> (0 = the controller processing the command).</summary>
    public PrimaryControllerCapabilities PrimaryControllerCapabilities(ushort controllerId = 0) =>
        Structures.PrimaryControllerCapabilities.Parse(Identify(IdentifyCommand.PrimaryControllerCapabilities(controllerId)));

    /// <summary>
    /// All secondary controllers, paging Identify CNS 0x15: a full page (127 entries) is followed by a request
    /// with CNTID = last SCID + 1 until a short page (reference §3: CNTID means "IDs ≥ CNTID").
    /// </summary>
    public IReadOnlyList<SecondaryController> ListSecondaryControllers()
    {
        var all = new List<SecondaryController>();
        int nextId = 0;
        while (nextId <= ushort.MaxValue)
        {
            var page = SecondaryControllerList.Parse(Identify(IdentifyCommand.SecondaryControllerList((ushort)nextId)));
            foreach (var entry in page)
            {
                if (entry.ControllerId < nextId)
                {
                    throw new InvalidDataException(
                        $"{DevicePath}: Secondary Controller List asked for SCID ≥ {nextId} but returned SCID {entry.ControllerId}; refusing a list that does not advance.");
                }
            }

            all.AddRange(page);
            if (page.Count < SecondaryControllerListLayout.MaxEntries)
            {
                break;
            }

            nextId = page[^1].ControllerId + 1;
        }

        return all;
    }

    public SupportedControllerStateFormats SupportedControllerStateFormats() =>
        Structures.SupportedControllerStateFormats.Parse(Identify(IdentifyCommand.SupportedControllerStateFormats()));

    /// <summary>Virtualization Management; returns NRM (completion DW0, the number of resources allocated).</summary>
    public uint VirtualizationManagement(byte action, byte resourceType, ushort controllerId, ushort resourceCount)
    {
        var command = new VirtualizationManagementCommand(action, resourceType, controllerId, resourceCount);
        return Execute(command.ToEntry(), Span<byte>.Empty, command.Name).Result;
    }

    public void Suspend(ushort secondaryControllerId, byte suspendType = MigrationFields.SuspendTypeSuspend, bool deleteUserDataMigrationQueue = false)
    {
        var command = MigrationSendCommand.Suspend(secondaryControllerId, suspendType, deleteUserDataMigrationQueue);
        Execute(command.ToEntry(), Span<byte>.Empty, command.Name);
    }

    public void Resume(ushort secondaryControllerId)
    {
        var command = MigrationSendCommand.Resume(secondaryControllerId);
        Execute(command.ToEntry(), Span<byte>.Empty, command.Name);
    }

    /// <summary>
    /// Writes a whole controller state with Set Controller State, in chunks of at most <paramref name="chunkBytes"/>
    /// (<see cref="SetControllerStatePlan"/>). The state length must be a multiple of 4 (NUMD counts dwords); this is
    /// checked before any command.
    /// </summary>
    public void SetControllerState(ushort secondaryControllerId, ReadOnlySpan<byte> state, int chunkBytes = DefaultStateChunkBytes, byte stateVersionIndex = 0, byte stateUuidIndex = 0) =>
        SetControllerState(SetControllerStatePlan.For(secondaryControllerId, state.Length, chunkBytes, stateVersionIndex, stateUuidIndex), state);

    /// <summary>Sends exactly the commands of <paramref name="plan"/>, each with its slice of <paramref name="state"/>.</summary>
    public void SetControllerState(SetControllerStatePlan plan, ReadOnlySpan<byte> state)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (state.Length != plan.StateLength)
        {
            throw new ArgumentException($"The plan writes a {plan.StateLength}-byte state; this one has {state.Length} bytes.", nameof(state));
        }

        var buffer = new byte[plan.Chunks.Max(c => c.Length)];
        foreach (SetControllerStateChunk chunk in plan.Chunks)
        {
            var data = buffer.AsSpan(0, chunk.Length);
            state.Slice(chunk.Offset, chunk.Length).CopyTo(data);
            Execute(chunk.Command.ToEntry(), data, chunk.Command.Name);
        }
    }

    /// <summary>One Get Controller State transfer of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public ControllerStateRead GetControllerStateChunk(ushort secondaryControllerId, ulong offset, int length, byte stateVersionIndex = 0, byte stateUuidIndex = 0)
    {
        var command = MigrationReceiveCommand.GetControllerState(secondaryControllerId, offset, length, stateVersionIndex, stateUuidIndex);
        var data = new byte[command.DataLength];
        var completion = Execute(command.ToEntry(), data, command.Name);
        return new ControllerStateRead(data, (completion.Result & MigrationFields.CompletionControllerSuspended) != 0);
    }

    /// <summary>
    /// Reads a whole controller state: first the 48-byte header (libnvme layout, reference §4a) to learn the
    /// size, then the rest in chunks by offset. Returns header + body and the CSUP bit of the last completion.
    /// </summary>
    public ControllerStateRead GetControllerState(ushort secondaryControllerId, int chunkBytes = DefaultStateChunkBytes, byte stateVersionIndex = 0, byte stateUuidIndex = 0)
    {
        ValidateChunk(chunkBytes);
        var first = GetControllerStateChunk(secondaryControllerId, 0, ControllerStateHeaderLayout.Size, stateVersionIndex, stateUuidIndex);
        var header = ControllerStateHeader.Parse(first.Data);
        if (header.TotalBytes > MaxControllerStateBytes)
        {
            throw new InvalidDataException(
                $"{DevicePath}: controller state of CNTLID {secondaryControllerId} announces {header.TotalBytes} bytes, more than the {MaxControllerStateBytes}-byte limit.");
        }

        var state = new byte[header.TotalBytes];
        first.Data.CopyTo(state, 0);
        bool suspended = first.ControllerSuspended;
        for (int offset = ControllerStateHeaderLayout.Size; offset < state.Length; offset += chunkBytes)
        {
            int length = Math.Min(chunkBytes, state.Length - offset);
            var chunk = GetControllerStateChunk(secondaryControllerId, (ulong)offset, length, stateVersionIndex, stateUuidIndex);
            chunk.Data.CopyTo(state, offset);
            suspended = chunk.ControllerSuspended;
        }

        return new ControllerStateRead(state, suspended);
    }

    private byte[] Identify(IdentifyCommand command)
    {
        var page = new byte[command.DataLength];
        Execute(command.ToEntry(), page, command.Name);
        return page;
    }

    private NvmeRawCompletion Execute(NvmeSubmissionEntry entry, Span<byte> data, string commandName)
    {
        Span<byte> sqe = stackalloc byte[SubmissionEntryLayout.Size];
        entry.EncodeTo(sqe);
        var completion = _device.Submit(sqe, data, _timeout);
        if (!completion.IsSuccess)
        {
            throw new NvmeCommandException(_device.DevicePath, entry.Opcode, commandName, new NvmeStatus(completion.Status));
        }

        return completion;
    }

    internal static void ValidateChunk(int chunkBytes)
    {
        if (chunkBytes <= 0 || chunkBytes % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), $"Chunk size must be a positive multiple of 4 bytes, got {chunkBytes}.");
        }
    }
}
