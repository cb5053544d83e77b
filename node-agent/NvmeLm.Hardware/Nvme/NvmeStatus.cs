namespace NvmeLm.Hardware.Nvme;

/// <summary>
/// The NVMe completion status as <c>NVME_IOCTL_ADMIN_CMD</c> returns it (reference §2: a positive ioctl
/// return is the status field of the CQE without the phase bit): SC bits 7:0, SCT bits 10:8, CRD bits 12:11,
/// M (more) bit 13, DNR (do not retry) bit 14. Example: 0x4120 = DNR | SCT 1 | SC 0x20.
/// </summary>
public readonly record struct NvmeStatus(ushort Raw)
{
    public const int StatusCodeMask = 0xFF;
    public const int StatusCodeTypeShift = 8;
    public const int StatusCodeTypeMask = 0x7;
    public const int CommandRetryDelayShift = 11;
    public const int CommandRetryDelayMask = 0x3;
    public const ushort MoreBit = 1 << 13;
    public const ushort DoNotRetryBit = 1 << 14;

    /// <summary>SCT value 0: generic command status.</summary>
    public const byte TypeGeneric = 0;
    /// <summary>SCT value 1: command specific status.</summary>
    public const byte TypeCommandSpecific = 1;

    public bool IsSuccess => StatusCode == 0 && StatusCodeType == 0;
    public byte StatusCode => (byte)(Raw & StatusCodeMask);
    public byte StatusCodeType => (byte)((Raw >> StatusCodeTypeShift) & StatusCodeTypeMask);
    /// <summary>Command Retry Delay index (selects CRDT1–3 of Identify Controller); 0 = none.</summary>
    public byte CommandRetryDelay => (byte)((Raw >> CommandRetryDelayShift) & CommandRetryDelayMask);
    public bool More => (Raw & MoreBit) != 0;
    public bool DoNotRetry => (Raw & DoNotRetryBit) != 0;

    /// <summary>SCT and SC together (<c>SCT &lt;&lt; 8 | SC</c>), the key of <see cref="NvmeStatusCode"/>.</summary>
    public NvmeStatusCode Code => (NvmeStatusCode)(Raw & ((StatusCodeTypeMask << StatusCodeTypeShift) | StatusCodeMask));

    /// <summary>True when <see cref="Code"/> is one of the codes this layer names.</summary>
    public bool IsNamed => Enum.IsDefined(Code);

    public static NvmeStatus From(NvmeStatusCode code, bool doNotRetry = true) =>
        new((ushort)((ushort)code | (doNotRetry ? DoNotRetryBit : 0)));

    public override string ToString() =>
        $"0x{Raw:x4} (SCT {StatusCodeType}, SC 0x{StatusCode:x2}{(IsNamed ? ", " + Code : string.Empty)}{(DoNotRetry ? ", DNR" : string.Empty)})";
}
