namespace NvmeLm.Hardware.Nvme.Linux;

/// <summary>Byte offsets of <c>struct nvme_passthru_cmd</c> (reference §2 table) and the ioctl that takes it.</summary>
internal static class NvmePassthruLayout
{
    public const int Opcode = 0;
    public const int Flags = 1;
    public const int Reserved1 = 2;
    public const int Nsid = 4;
    public const int Cdw2 = 8;
    public const int Cdw3 = 12;
    public const int Metadata = 16;
    public const int Addr = 24;
    public const int MetadataLength = 32;
    public const int DataLength = 36;
    public const int Cdw10 = 40;
    public const int Cdw11 = 44;
    public const int Cdw12 = 48;
    public const int Cdw13 = 52;
    public const int Cdw14 = 56;
    public const int Cdw15 = 60;
    public const int TimeoutMs = 64;
    public const int Result = 68;

    /// <summary><c>NVME_IOCTL_ADMIN_CMD = _IOWR('N', 0x41, struct nvme_admin_cmd)</c>.</summary>
    public const uint NvmeIoctlAdminCommand = 0xC0484E41;
}
