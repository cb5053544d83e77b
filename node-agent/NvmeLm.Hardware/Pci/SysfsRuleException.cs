namespace NvmeLm.Hardware.Pci;

/// <summary>
/// A sysfs change the kernel refuses by rule (or that would be refused), with what to do about it.
/// Carries the errno when the refusal came from the kernel (0 when it was caught before writing).
/// </summary>
public sealed class SysfsRuleException : NvmeLmException
{
    public SysfsRuleException(SysfsRuleReason reason, PciAddress device, string detail, string remedy, HostIoException? inner = null)
        : base(FormatMessage(reason, device, detail, remedy, inner), inner)
    {
        Reason = reason;
        Device = device;
        Errno = inner?.Errno ?? 0;
    }

    public SysfsRuleReason Reason { get; }
    public PciAddress Device { get; }
    public int Errno { get; }

    private static string FormatMessage(SysfsRuleReason reason, PciAddress device, string detail, string remedy, HostIoException? inner)
    {
        string errno = inner is null ? string.Empty : $" ({Errnos.Name(inner.Errno)} from {inner.Path})";
        return $"{device}: {detail}{errno}. {remedy}";
    }
}
