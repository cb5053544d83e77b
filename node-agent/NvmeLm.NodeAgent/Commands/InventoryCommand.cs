using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary><c>inventory</c>: every NVMe SR-IOV PF with its identify fields, primary capabilities and verified secondary list. Reads only.</summary>
public static class InventoryCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("inventory", "List NVMe SR-IOV PFs: Identify Controller, OACS, primary capabilities (CNS 0x14), secondaries (CNS 0x15) and their VFs");
        command.SetAction(parse => CommandRunner.Run(parse, globals, Execute));
        return command;
    }

    private static int Execute(CliSession session)
    {
        InventoryView view = Build(session.Hardware, session.Journal, session.HardwareKind);
        if (session.Json)
        {
            session.WriteJson(view, CliJsonContext.Default.InventoryView);
            return ExitCodes.Success;
        }

        foreach (PfInventoryView pf in view.PhysicalFunctions)
        {
            WriteText(session.Output, pf);
        }

        if (view.PhysicalFunctions.Count == 0)
        {
            session.Output.WriteLine("no NVMe SR-IOV physical functions found");
        }

        return ExitCodes.Success;
    }

    public static InventoryView Build(HostHardware hardware, HostJournal journal, string hardwareKind)
    {
        var sysfs = new SriovSysfs(hardware.Files);
        var pfs = new List<PfInventoryView>();
        foreach (NvmePhysicalFunction pf in sysfs.DiscoverNvmePhysicalFunctions())
        {
            pfs.Add(Describe(hardware, sysfs, journal, pf));
        }

        return new InventoryView(hardwareKind, pfs);
    }

    private static PfInventoryView Describe(HostHardware hardware, SriovSysfs sysfs, HostJournal journal, NvmePhysicalFunction pf)
    {
        PciAddress address = pf.Function.Address;
        var view = new PfInventoryView
        {
            Address = address.ToString(),
            VendorId = pf.Function.VendorId,
            DeviceId = pf.Function.DeviceId,
            ClassCode = pf.Function.ClassCode,
            Driver = pf.Function.Driver,
            IommuGroup = pf.Function.IommuGroup,
            ControllerDevice = pf.ControllerDevice,
            Sriov = new SriovView(pf.Sriov.TotalVfs, pf.Sriov.NumVfs, pf.Sriov.Offset, pf.Sriov.Stride, pf.Sriov.VfDeviceId, pf.Sriov.DriversAutoprobe),
            JournalOwner = journal.Read(address)?.Owner,
        };
        if (pf.ControllerDevice is null)
        {
            return view with { Notes = ["no NVMe controller device (PF not bound to nvme): identify data unavailable"] };
        }

        try
        {
            using INvmeAdminDevice device = hardware.Nvme.Open(pf.ControllerDevice);
            var client = new NvmeAdminClient(device);
            IdentifyController id = client.IdentifyController();
            view = view with
            {
                IdCtrl = new IdCtrlView(id.VendorId, id.SubsystemVendorId, id.SerialNumber, id.ModelNumber, id.FirmwareRevision, id.Cmic, id.ControllerId, id.Version, id.ControllerType, id.Oacs),
                OacsBits = new OacsBitsView(id.SupportsVirtualizationManagement, id.SupportsHostManagedLiveMigration),
            };
            // oacsBits stays the raw bit (nvme-cli cross-check); support itself may come from CNS 0x14 (QEMU < 10.0).
            VirtualizationSupport support = VirtualizationSupport.Detect(client, id);
            if (support.Capabilities is not { } caps || !support.Supported)
            {
                return view with { Notes = [support.Describe()] };
            }

            SecondaryListResult list = ListSecondariesStep.Map(PfReader.Read(sysfs, address), client.ListSecondaryControllers());
            IReadOnlyList<string> detection = support.DetectedVia == VirtualizationDetection.Oacs ? [] : [support.Describe()];
            view = view with
            {
                PrimaryCtrlCaps = new PrimaryCtrlCapsView(caps.ControllerId, caps.PortId, caps.ControllerResourceTypes, caps.VqFlexibleTotal, caps.VqFlexibleAssigned,
                    caps.VqFlexibleAllocatedToPrimary, caps.VqPrivateTotal, caps.VqFlexibleSecondaryMaximum, caps.VqGranularity, caps.ViFlexibleTotal,
                    caps.ViFlexibleAssigned, caps.ViFlexibleAllocatedToPrimary, caps.ViPrivateTotal, caps.ViFlexibleSecondaryMaximum, caps.ViGranularity),
                SecondaryControllers = list.Secondaries.Select(ViewMapper.Secondary).ToList(),
                Notes = [.. detection, .. list.Notes],
            };
            if (id.SupportsHostManagedLiveMigration)
            {
                view = view with { StateFormatVersions = client.SupportedControllerStateFormats().Versions.Select(v => (int)v).ToList() };
            }

            return view;
        }
        catch (NvmeLmException ex)
        {
            return view with { Error = ex.Message };
        }
    }

    private static void WriteText(TextWriter output, PfInventoryView pf)
    {
        output.WriteLine($"PF {pf.Address} [{pf.VendorId:x4}:{pf.DeviceId:x4}] driver {pf.Driver ?? "-"} {pf.ControllerDevice ?? string.Empty}");
        output.WriteLine($"  sriov: totalvfs {pf.Sriov.TotalVfs} numvfs {pf.Sriov.NumVfs} offset {pf.Sriov.Offset} stride {pf.Sriov.Stride} autoprobe {(pf.Sriov.DriversAutoprobe ? 1 : 0)}");
        if (pf.IdCtrl is IdCtrlView id)
        {
            output.WriteLine($"  id-ctrl: mn '{id.Mn}' sn '{id.Sn}' fr '{id.Fr}' cntlid {id.Cntlid} oacs 0x{id.Oacs:x4} (VMS {Bit(pf.OacsBits?.VirtualizationManagement)}, HMLMS {Bit(pf.OacsBits?.HostManagedLiveMigration)})");
        }

        if (pf.PrimaryCtrlCaps is PrimaryCtrlCapsView c)
        {
            output.WriteLine($"  primary-ctrl-caps: crt 0x{c.Crt:x} vqfrt {c.Vqfrt} vqrfa {c.Vqrfa} vqrfap {c.Vqrfap} vqprt {c.Vqprt} vqfrsm {c.Vqfrsm} vifrt {c.Vifrt} virfa {c.Virfa} virfap {c.Virfap} viprt {c.Viprt} vifrsm {c.Vifrsm}");
        }

        foreach (SecondaryControllerView s in pf.SecondaryControllers ?? [])
        {
            output.WriteLine($"  SCID {s.Scid} VFN {s.Vfn} {(s.Online ? "online " : "offline")} NVQ {s.Nvq} NVI {s.Nvi} -> virtfn{s.Virtfn} {s.VfAddress}{(s.VfEnabled ? $" driver {s.Driver ?? "-"} iommu_group {s.IommuGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" : " (VF not enabled)")}");
        }

        if (pf.StateFormatVersions is { } versions)
        {
            output.WriteLine($"  controller state formats: {string.Join(", ", versions)}");
        }

        foreach (string note in pf.Notes)
        {
            output.WriteLine($"  note: {note}");
        }

        if (pf.Error is string error)
        {
            output.WriteLine($"  error: {error}");
        }
    }

    private static int Bit(bool? value) => value == true ? 1 : 0;
}
