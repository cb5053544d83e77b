using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// An emulated host with three NVMe PFs and a temporary journal directory:
/// <see cref="Source"/> and <see cref="Destination"/> support live migration (OACS bit 11), <see cref="Plain"/> does
/// not (like QEMU). Each PF: 4 VFs, VQ max 4 / VI max 2 per secondary.
/// </summary>
public sealed class StepFixture : IDisposable
{
    public const string Owner = "test-owner";
    public static readonly PciAddress Source = PciAddress.Parse("0000:01:00.0");
    public static readonly PciAddress Destination = PciAddress.Parse("0000:02:00.0");
    public static readonly PciAddress Plain = PciAddress.Parse("0000:03:00.0");
    public static readonly PciAddress Unknown = PciAddress.Parse("0000:09:00.0");

    /// <param name="config">Another host (default <see cref="Config"/>); <see cref="Context"/> still selects the three addresses.</param>
    public StepFixture(EmulatedHostConfig? config = null)
    {
        JournalDirectory = Path.Combine(Path.GetTempPath(), "nvmelm-steps-" + Guid.NewGuid().ToString("N"));
        Host = new EmulatedHost(config ?? Config());
        Hardware = Host.CreateHardware();
        Journal = new HostJournal(JournalDirectory);
    }

    public EmulatedHost Host { get; }

    public NvmeLm.Hardware.Host.HostHardware Hardware { get; }

    public HostJournal Journal { get; }

    public string JournalDirectory { get; }

    public static EmulatedHostConfig Config() => new()
    {
        Drivers =
        [
            new EmulatedDriverConfig { Name = "nvme" },
            new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true },
            new EmulatedDriverConfig { Name = "nvme-vfio-pci", Vfio = true, MigrationFlags = ["StopCopy", "P2P"] },
        ],
        PhysicalFunctions =
        [
            Pf(Source, 0, liveMigration: true),
            Pf(Destination, 1, liveMigration: true),
            Pf(Plain, 2, liveMigration: false),
        ],
    };

    private static EmulatedPfConfig Pf(PciAddress address, int instance, bool liveMigration) => new()
    {
        Address = address.ToString(),
        NvmeInstance = instance,
        Serial = "EMU" + instance,
        TotalVfs = 4,
        VqFlexibleTotal = 16,
        ViFlexibleTotal = 8,
        MaxVqPerSecondary = 4,
        MaxViPerSecondary = 2,
        LiveMigration = liveMigration,
        StateFormatVersions = [0],
        ControllerStateSize = 4096,
    };

    /// <summary>A step context that may touch <paramref name="selected"/> (default: all three PFs).</summary>
    public StepContext Context(bool dryRun = false, string owner = Owner, Action<HostAction>? beforeWrite = null, params PciAddress[] selected) =>
        new(Hardware, Journal, new SafetyPolicy(selected.Length > 0 ? selected : [Source, Destination, Plain]), owner, dryRun)
        {
            BeforeHostWrite = beforeWrite,
        };

    public int MutationCount => Host.WriteLog.Mutations.Count;

    public EmulatedPhysicalFunction Emulated(PciAddress pf) => Host.PhysicalFunction(pf);

    /// <summary>Enables 2 VFs with NVQ 2 / NVI 1 on <paramref name="pf"/>.</summary>
    public StepResult Enable(PciAddress pf, int vfs = 2, int queues = 2, int interrupts = 1)
    {
        using var context = Context();
        return new EnableSriovStep(context).Run(new EnableSriovRequest(pf, vfs, queues, interrupts));
    }

    /// <summary>Both migration PFs enabled; SCID 1 of the source allowed to migrate, SCID 2 of the destination to resume.</summary>
    public void PrepareMigrationPair()
    {
        Enable(Source);
        Enable(Destination);
        using var context = Context();
        new AllowMigrateStep(context).Run(Source, 1);
        new AllowResumeStep(context).Run(Destination, 2, stateFormatVersion: 0);
    }

    public void Dispose()
    {
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }
    }
}
