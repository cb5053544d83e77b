namespace NvmeLm.Hardware.Safety;

/// <summary>
/// The agent declined to act, before writing anything. The message names the device and what is missing
/// or in the way, so an operator can fix it without reading code.
/// </summary>
public sealed class HardwareRefusedException : NvmeLmException
{
    public HardwareRefusedException(RefusalReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public RefusalReason Reason { get; }
}
