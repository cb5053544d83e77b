namespace NvmeLm.Hardware.Emulated;

/// <summary>What kind of host operation a <see cref="EmulatedWriteRecord"/> describes.</summary>
public enum EmulatedOperationKind
{
    SysfsWrite,
    NvmeCommand,
}

/// <summary>
/// One recorded host operation: every sysfs write and every NVMe admin command, with its outcome.
/// <see cref="Changed"/> says whether the emulated hardware state differs afterwards, so tests can assert
/// "zero hardware writes" (no record with <see cref="IsMutation"/>) and "no step ran twice with effect". An NVMe
/// command keeps its 64-byte submission entry as sent (<see cref="Submission"/>), so tests can compare it field by field.
/// </summary>
public sealed record EmulatedWriteRecord(
    long Sequence,
    DateTimeOffset Time,
    EmulatedOperationKind Kind,
    string Target,
    byte Opcode,
    string Value,
    bool IsMutation,
    bool Changed,
    int Errno,
    ushort NvmeStatus,
    byte[]? Submission = null)
{
    public bool Succeeded => Errno == 0 && NvmeStatus == 0;

    public override string ToString() => Kind == EmulatedOperationKind.SysfsWrite
        ? $"#{Sequence} write {Target} '{Value}' errno={Errno} changed={Changed}"
        : $"#{Sequence} {Target} opcode 0x{Opcode:x2} {Value} status=0x{NvmeStatus:x4} errno={Errno} changed={Changed}";
}
