namespace NvmeLm.Hardware.Nvme;

// Byte layouts shared by the parsers/encoders (Linux path) and the emulated controller (which produces
// and consumes the same bytes). One source of truth per offset; each is covered by a layout test.
// All multi-byte fields are little-endian.

/// <summary>Admin command opcodes (reference §3, §4a; libnvme <c>enum nvme_admin_opcode</c>).</summary>
public static class NvmeAdminOpcode
{
    public const byte Identify = 0x06;
    public const byte VirtualizationManagement = 0x1C;
    public const byte MigrationSend = 0x41;
    public const byte MigrationReceive = 0x42;
}

/// <summary>Identify CNS values used here (reference §3, §4b).</summary>
public static class IdentifyCns
{
    public const byte Controller = 0x01;
    public const byte PrimaryControllerCapabilities = 0x14;
    public const byte SecondaryControllerList = 0x15;
    public const byte SupportedControllerStateFormats = 0x20;
}

/// <summary>The 64-byte admin submission queue entry (reference §2 "Mapping to the 64-byte SQE").</summary>
public static class SubmissionEntryLayout
{
    public const int Size = 64;
    /// <summary>DW0 bits 7:0.</summary>
    public const int Opcode = 0;
    /// <summary>DW0 bits 15:8 (FUSE/PSDT); must be 0 for passthrough.</summary>
    public const int Flags = 1;
    /// <summary>DW0 bits 31:16; assigned by the transport.</summary>
    public const int CommandId = 2;
    public const int Nsid = 4;
    public const int Cdw2 = 8;
    public const int Cdw3 = 12;
    /// <summary>DW4–5, metadata pointer; assigned by the transport.</summary>
    public const int MetadataPointer = 16;
    /// <summary>DW6–9, PRP1/PRP2; assigned by the transport.</summary>
    public const int DataPointer = 24;
    public const int Cdw10 = 40;
    public const int Cdw11 = 44;
    public const int Cdw12 = 48;
    public const int Cdw13 = 52;
    public const int Cdw14 = 56;
    public const int Cdw15 = 60;
}

/// <summary>Identify data structures are one 4 KiB page.</summary>
public static class IdentifyLayout
{
    public const int DataSize = 4096;
}

/// <summary>Identify command fields (reference §3): CDW10 = CNS (7:0) | CNTID (31:16).</summary>
public static class IdentifyFields
{
    public const int CnsMask = 0xFF;
    public const int ControllerIdShift = 16;
}

/// <summary>Identify Controller (CNS 0x01), reference §3 (libnvme <c>struct nvme_id_ctrl</c>).</summary>
public static class IdentifyControllerLayout
{
    public const int Vid = 0;          // u16 PCI vendor ID
    public const int Ssvid = 2;        // u16 PCI subsystem vendor ID
    public const int SerialNumber = 4; // ASCII, space padded
    public const int SerialNumberLength = 20;
    public const int ModelNumber = 24;
    public const int ModelNumberLength = 40;
    public const int FirmwareRevision = 64;
    public const int FirmwareRevisionLength = 8;
    public const int Cmic = 76;        // u8; bit2 = SR-IOV virtual function
    public const int Cntlid = 78;      // u16
    public const int Version = 80;     // u32
    public const int Ctratt = 96;      // u32
    public const int ControllerType = 111; // u8
    public const int Oacs = 256;       // u16

    /// <summary>OACS bit 7: Virtualization Management supported.</summary>
    public const ushort OacsVirtualizationManagement = 1 << 7;
    /// <summary>OACS bit 11: HMLMS, Host Managed Live Migration Support (TP4159, per libnvme).</summary>
    public const ushort OacsHostManagedLiveMigration = 1 << 11;
    /// <summary>CMIC bit 2: the controller is an SR-IOV virtual function.</summary>
    public const byte CmicSriovVirtualFunction = 1 << 2;
}

/// <summary>Identify CNS 0x14 Primary Controller Capabilities, reference §3.</summary>
public static class PrimaryControllerCapabilitiesLayout
{
    public const int Cntlid = 0;  // u16
    public const int PortId = 2;  // u16
    public const int Crt = 4;     // u8: bit0 VQ supported, bit1 VI supported
    public const int Vqfrt = 32;  // u32 VQ flexible resources total
    public const int Vqrfa = 36;  // u32 VQ flexible resources assigned to secondaries
    public const int Vqrfap = 40; // u16 VQ flexible resources allocated to primary
    public const int Vqprt = 42;  // u16 VQ private resources total
    public const int Vqfrsm = 44; // u16 VQ flexible resources secondary maximum
    public const int Vqgran = 46; // u16 VQ preferred granularity
    public const int Vifrt = 64;  // u32
    public const int Virfa = 68;  // u32
    public const int Virfap = 72; // u16
    public const int Viprt = 74;  // u16
    public const int Vifrsm = 76; // u16
    public const int Vigran = 78; // u16

    public const byte CrtVqSupported = 1 << 0;
    public const byte CrtViSupported = 1 << 1;
}

/// <summary>Identify CNS 0x15 Secondary Controller List, reference §3.</summary>
public static class SecondaryControllerListLayout
{
    public const int NumberOfIdentifiers = 0; // u8
    public const int FirstEntry = 32;
    public const int EntrySize = 32;
    /// <summary><c>NVME_ID_SECONDARY_CTRL_MAX</c>: 32 + 127·32 = 4096.</summary>
    public const int MaxEntries = 127;

    // Offsets inside one entry.
    public const int Scid = 0;  // u16
    public const int Pcid = 2;  // u16
    public const int Scs = 4;   // u8: bit0 online
    public const int Vfn = 8;   // u16
    public const int Nvq = 10;  // u16
    public const int Nvi = 12;  // u16

    public const byte ScsOnline = 1 << 0;
}

/// <summary>Identify CNS 0x20 Supported Controller State Formats (reference §4b, NVIDIA RFC):
/// NV (u8), NUUID (u8), then NV version numbers (u16 each), then NUUID UUIDs (16 B each).</summary>
public static class ControllerStateFormatsLayout
{
    public const int NumberOfVersions = 0; // u8
    public const int NumberOfUuids = 1;    // u8
    public const int FirstVersion = 2;
    public const int VersionSize = 2;
    public const int UuidSize = 16;
}

/// <summary>Field encodings of Virtualization Management, Migration Send and Migration Receive (reference §3, §4a).</summary>
public static class VirtualizationManagementFields
{
    // CDW10 = ACT (3:0) | RT (10:8) | CNTLID (31:16); CDW11 = NR (15:0).
    public const int ActionMask = 0xF;
    public const int ResourceTypeShift = 8;
    public const int ResourceTypeMask = 0x7;
    public const int ControllerIdShift = 16;

    public const byte ActPrimaryFlexibleAllocation = 1;
    public const byte ActSecondaryOffline = 7;
    public const byte ActSecondaryAssign = 8;
    public const byte ActSecondaryOnline = 9;

    public const byte ResourceVq = 0;
    public const byte ResourceVi = 1;
}

/// <summary>Migration Send (0x41) and Migration Receive (0x42) encodings per libnvme (reference §4a).</summary>
public static class MigrationFields
{
    // CDW10 = SEL (7:0) | MOS (31:16).
    public const int SelectMask = 0xFF;
    public const int ManagementOperationSpecificShift = 16;

    public const byte SendSelectSuspend = 0;
    public const byte SendSelectResume = 1;
    public const byte SendSelectSetControllerState = 2;
    public const byte ReceiveSelectGetControllerState = 0;

    // Suspend CDW11 = CNTLID (15:0) | STYPE (23:16) | DUDMQ (31).
    public const int SuspendTypeShift = 16;
    public const byte SuspendTypeNotification = 0;
    public const byte SuspendTypeSuspend = 1;
    public const uint DeleteUserDataMigrationQueue = 1u << 31;

    // Set Controller State: MOS bits 1:0 = SEQIND; CDW11 = CNTLID | CSVI (23:16) | CSUUIDI (31:24).
    public const byte SequenceMiddle = 0;
    public const byte SequenceFirst = 1;
    public const byte SequenceLast = 2;
    public const byte SequenceOnly = 3;
    public const int SendStateVersionIndexShift = 16;
    public const int SendStateUuidIndexShift = 24;

    // Get Controller State: MOS bits 7:0 = CSVI; CDW11 = CNTLID | CSUUIDI (23:16) | CSUIDXP (31:24);
    // CDW12/13 = byte offset; CDW14 = UIDX (6:0); CDW15 = NUMD, 0's based (data_len = (NUMD+1)*4).
    public const int ReceiveUuidIndexShift = 16;
    public const int ReceiveUuidIndexParameterShift = 24;

    /// <summary>Migration Receive completion DW0 bit 0: CSUP, controller suspended.</summary>
    public const uint CompletionControllerSuspended = 1;

    /// <summary>SEQIND occupies MOS bits 1:0 of a Set Controller State.</summary>
    public const int SequenceIndicatorMask = 0x3;
    /// <summary>CDW14 UIDX bits 6:0.</summary>
    public const int UuidIndexMask = 0x7F;
    /// <summary>Suspend STYPE occupies CDW11 bits 23:16.</summary>
    public const int SuspendTypeMask = 0xFF;
}

/// <summary>
/// Controller State data header returned by Get Controller State, per libnvme (reference §4a, 48 bytes).
/// The 2025 RFC uses a 20-byte header instead (reference §4b), so only this header is parsed, to learn the size;
/// the rest of the state is opaque.
/// </summary>
public static class ControllerStateHeaderLayout
{
    public const int Size = 48;
    public const int Version = 0;                    // u16
    public const int Attributes = 2;                 // u8 CSATTR; bit0 controller suspended
    public const int NvmeControllerStateSize = 16;   // 128-bit NVMECSS, in dwords
    public const int VendorSpecificSize = 32;        // 128-bit VSS, in dwords
    public const int SizeFieldLength = 16;

    public const byte AttributeSuspended = 1 << 0;
}
