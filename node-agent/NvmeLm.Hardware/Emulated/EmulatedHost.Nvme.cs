using System.Buffers.Binary;
using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Emulated;

// INvmeAdminDeviceOpener and the admin-command path: faults, transport checks (reference §2), the write log.
public sealed partial class EmulatedHost
{
    private const string IoctlOperation = "ioctl NVME_IOCTL_ADMIN_CMD";

    /// <summary>Opens <c>/dev/nvmeN</c>; a missing node → ENOENT, like open(2).</summary>
    public INvmeAdminDevice Open(string devicePath)
    {
        lock (_gate)
        {
            var function = AllFunctions.FirstOrDefault(f => f.NvmeInstance is int n && devicePath == "/dev/nvme" + Num(n))
                ?? throw new HostIoException(Errnos.ENOENT, devicePath, "open");
            return new EmulatedNvmeDevice(this, devicePath, function);
        }
    }

    internal NvmeRawCompletion Submit(string devicePath, EmulatedPciFunction function, ReadOnlySpan<byte> sqe, Span<byte> data, TimeSpan timeout)
    {
        if (sqe.Length != SubmissionEntryLayout.Size || sqe[SubmissionEntryLayout.Flags] != 0)
        {
            // nvme_user_cmd rejects non-zero flags with -EINVAL (reference §2).
            throw new HostIoException(Errnos.EINVAL, devicePath, IoctlOperation);
        }

        byte opcode = sqe[SubmissionEntryLayout.Opcode];
        uint cdw10 = BinaryPrimitives.ReadUInt32LittleEndian(sqe[SubmissionEntryLayout.Cdw10..]);
        int select = (int)(cdw10 & 0xFF);
        var (delay, injected) = Faults.TakeCommandFault(opcode, select);
        if (delay > TimeSpan.Zero)
        {
            if (timeout > TimeSpan.Zero && delay >= timeout)
            {
                Thread.Sleep(timeout);
                throw new HostIoException(Errnos.ETIMEDOUT, devicePath, IoctlOperation);
            }

            Thread.Sleep(delay);
        }

        bool isMutation = opcode is NvmeAdminOpcode.VirtualizationManagement or NvmeAdminOpcode.MigrationSend;
        string summary = $"cdw10=0x{cdw10:x8} cdw11=0x{BinaryPrimitives.ReadUInt32LittleEndian(sqe[SubmissionEntryLayout.Cdw11..]):x8}";
        byte[] submission = sqe.ToArray();
        lock (_gate)
        {
            if (function.NvmeInstance is null || !AllFunctions.Contains(function))
            {
                WriteLog.Add(EmulatedOperationKind.NvmeCommand, devicePath, opcode, summary, isMutation, false, Errnos.ENODEV, 0, submission);
                throw new HostIoException(Errnos.ENODEV, devicePath, IoctlOperation);
            }

            if (injected != 0)
            {
                WriteLog.Add(EmulatedOperationKind.NvmeCommand, devicePath, opcode, summary, isMutation, false, 0, injected, submission);
                return new NvmeRawCompletion(0, injected);
            }

            byte[] before = isMutation ? Fingerprint() : [];
            var controller = new EmulatedNvmeController(function.Parent is null ? _pfs.First(p => p.Function == function) : null, function);
            var completion = controller.Execute(sqe, data);
            bool changed = isMutation && !Fingerprint().AsSpan().SequenceEqual(before);
            WriteLog.Add(EmulatedOperationKind.NvmeCommand, devicePath, opcode, summary, isMutation, changed, 0, completion.Status, submission);
            if (changed)
            {
                PersistLocked();
            }

            return completion;
        }
    }
}
