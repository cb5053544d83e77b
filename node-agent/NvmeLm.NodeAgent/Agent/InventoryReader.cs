using System.Globalization;
using Microsoft.Extensions.Logging;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Steps;
using HwPrimaryCaps = NvmeLm.Hardware.Nvme.Structures.PrimaryControllerCapabilities;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Reads the node's NVMe SR-IOV inventory for <c>NvmeNode.status</c> (DESIGN §3): every NVMe PF on the host (the
/// operator chooses PFs from it), its Identify Controller fields and capabilities, primary capabilities (CNS 0x14),
/// and the verified SCID ↔ VF mapping (CNS 0x15 joined with sysfs, <see cref="ListSecondariesStep"/>) with each
/// VF's driver, IOMMU group and the role the journal records. Reads only: Identify and sysfs reads change nothing.
/// </summary>
public sealed class InventoryReader
{
    private readonly HostHardware _hardware;
    private readonly SriovSysfs _sysfs;
    private readonly HostJournal _journal;
    private readonly ILogger _logger;

    public InventoryReader(HostHardware hardware, HostJournal journal, ILogger logger)
    {
        _hardware = hardware;
        _sysfs = new SriovSysfs(hardware.Files);
        _journal = journal;
        _logger = logger;
    }

    /// <summary>The inventory, plus one error line per PF whose controller could not be read.</summary>
    public (IReadOnlyList<PhysicalFunctionStatus> Pfs, IReadOnlyList<(PciAddress Pf, string Error)> Errors) Read(IReadOnlySet<PciAddress> managed)
    {
        var pfs = new List<PhysicalFunctionStatus>();
        var errors = new List<(PciAddress, string)>();
        foreach (NvmePhysicalFunction pf in _sysfs.DiscoverNvmePhysicalFunctions().OrderBy(p => p.Function.Address))
        {
            PhysicalFunctionStatus status = Sysfs(pf);
            try
            {
                Controller(pf, status, managed.Contains(pf.Function.Address));
            }
            catch (NvmeLmException ex)
            {
                AgentLog.InventoryFailed(_logger, status.Address, ex.Message);
                errors.Add((pf.Function.Address, $"PF {status.Address}: inventory: {ex.Message}"));
            }

            pfs.Add(status);
        }

        return (pfs, errors);
    }

    /// <summary>Whether <c>/dev/vfio/&lt;group&gt;</c> exists (the VFIO driver made the group usable).</summary>
    public bool VfioGroupExists(int group) => _sysfs.VfioGroupDeviceExists(group);

    private static PhysicalFunctionStatus Sysfs(NvmePhysicalFunction pf) => new()
    {
        Address = pf.Function.Address.ToString(),
        VendorId = PciId(pf.Function.VendorId),
        DeviceId = PciId(pf.Function.DeviceId),
        ControllerDevice = pf.ControllerDevice is string device ? Path.GetFileName(device) : null,
        Driver = pf.Function.Driver,
        TotalVfs = pf.Sriov.TotalVfs,
        NumVfs = pf.Sriov.NumVfs,
        DriversAutoprobe = pf.Sriov.DriversAutoprobe,
    };

    private void Controller(NvmePhysicalFunction pf, PhysicalFunctionStatus status, bool managed)
    {
        if (pf.ControllerDevice is null)
        {
            return;
        }

        using INvmeAdminDevice device = _hardware.Nvme.Open(pf.ControllerDevice);
        var client = new NvmeAdminClient(device);
        var id = client.IdentifyController();
        // QEMU < 10.0 leaves OACS bit 7 clear but implements Virtualization Management: one shared detection.
        VirtualizationSupport support = VirtualizationSupport.Detect(client, id);
        status.Model = Trim(id.ModelNumber, 40);
        status.Serial = Trim(id.SerialNumber, 20);
        status.Firmware = Trim(id.FirmwareRevision, 8);
        status.Capabilities = new ControllerCapabilities
        {
            VirtualizationManagement = support.Supported,
            HostManagedLiveMigration = id.SupportsHostManagedLiveMigration,
        };
        if (id.SupportsHostManagedLiveMigration)
        {
            var formats = client.SupportedControllerStateFormats();
            status.Capabilities.StateFormatVersions = formats.Versions.Select(v => (int)v).ToList();
            status.Capabilities.StateFormatUuids = formats.VendorFormatUuids.Count == 0 ? null
                : formats.VendorFormatUuids.Select(u => new Guid(u, bigEndian: true).ToString()).ToList();
        }

        if (support.Capabilities is not { } caps || !support.Supported)
        {
            return;
        }

        status.Primary = Primary(caps);
        SecondaryListResult list = ListSecondariesStep.Map(PfReader.Read(_sysfs, pf.Function.Address), client.ListSecondaryControllers());
        PfJournalRecord? record = _journal.Read(pf.Function.Address);
        status.Secondaries = list.Secondaries
            .Select(s => Secondary(s, record?.FindVf(s.Scid), managed, id.SupportsHostManagedLiveMigration))
            .ToList();
    }

    private SecondaryControllerStatus Secondary(SecondaryMapping s, VfJournalEntry? entry, bool managed, bool hostManagedLiveMigration)
    {
        bool vfioBound = s.VfEnabled && s.Driver is not null && s.IommuGroup is int group && _sysfs.VfioGroupDeviceExists(group);
        return new SecondaryControllerStatus
        {
            Scid = s.Scid,
            VfNumber = s.Vfn,
            Online = s.Online,
            Queues = s.Nvq,
            Interrupts = s.Nvi,
            VfAddress = s.VfEnabled ? s.VfAddress.ToString() : null,
            Driver = s.VfEnabled ? s.Driver : null,
            IommuGroup = s.VfEnabled ? s.IommuGroup : null,
            Role = entry?.Owner is not null ? RoleOf(entry.Role) : managed ? SecondaryRole.Pool : null,
            OwnerUid = entry?.Owner,
            Migratable = s.Online && hostManagedLiveMigration && vfioBound,
            // From the journal: the agent suspends only secondaries it holds for a migration, and records it.
            Suspended = entry?.Owner is not null && SecondaryHandBack.HoldsFrozenState(entry.Progress),
        };
    }

    private static SecondaryRole RoleOf(VfRole role) => role switch
    {
        VfRole.MigrationSource => SecondaryRole.MigrationSource,
        VfRole.ResumeTarget => SecondaryRole.ResumeTarget,
        _ => SecondaryRole.Pool,
    };

    private static Api.V1Alpha1.PrimaryControllerCapabilities Primary(HwPrimaryCaps caps) => new()
    {
        ControllerId = caps.ControllerId,
        VqResourcesSupported = caps.SupportsVqResources,
        ViResourcesSupported = caps.SupportsViResources,
        VqFlexibleTotal = caps.VqFlexibleTotal,
        VqFlexibleAssigned = caps.VqFlexibleAssigned,
        VqFlexibleAllocatedToPrimary = caps.VqFlexibleAllocatedToPrimary,
        VqPrivateTotal = caps.VqPrivateTotal,
        VqFlexibleSecondaryMax = caps.VqFlexibleSecondaryMaximum,
        VqGranularity = caps.VqGranularity,
        ViFlexibleTotal = caps.ViFlexibleTotal,
        ViFlexibleAssigned = caps.ViFlexibleAssigned,
        ViFlexibleAllocatedToPrimary = caps.ViFlexibleAllocatedToPrimary,
        ViPrivateTotal = caps.ViPrivateTotal,
        ViFlexibleSecondaryMax = caps.ViFlexibleSecondaryMaximum,
        ViGranularity = caps.ViGranularity,
    };

    private static string PciId(ushort id) => "0x" + id.ToString("x4", CultureInfo.InvariantCulture);

    private static string? Trim(string value, int max)
    {
        string trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length <= max ? trimmed : trimmed[..max];
    }
}
