using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Tests.Host;
using NvmeLm.TestSupport;
using static NvmeLm.Hardware.Tests.Emulated.EmulatedTestHosts;

namespace NvmeLm.Hardware.Tests.Emulated;

public sealed class EmulatedConfigAndStateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nvmelm-emu-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string SamplePath([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../../node-agent/NvmeLm.Hardware/Emulated/sample-host.json"));

    [Fact]
    public void SampleConfig_LoadsTwoPfsWithLiveMigrationOnTheFirst()
    {
        var host = new EmulatedHost(EmulatedHostConfig.Load(SamplePath()));
        Assert.Equal("8\n", host.ReadAllText(Dev(Pf0, "sriov_totalvfs")));
        Assert.True(Client(host, 0).IdentifyController().SupportsHostManagedLiveMigration);
        Assert.False(Client(host, 1).IdentifyController().SupportsHostManagedLiveMigration);
        Assert.Contains("/dev/nvme1n1 /var/lib/data ext4", host.ReadAllText("/proc/mounts"));
    }

    [Theory]
    [InlineData("{", "is not valid")]
    [InlineData("""{ "physicalFunctions": [] }""", "physicalFunctions: at least one")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:1:00.0" } ] }""", "physicalFunctions[0].address")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0", "driver": "mlx5_core" } ] }""", "physicalFunctions[0].driver")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0", "vendorId": "xyz" } ] }""", "not a hex number")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0", "totalVfs": 2 }, { "address": "0000:01:00.1", "nvmeInstance": 1 } ] }""", "physicalFunctions[1].address: 0000:01:00.1 is used twice")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0" }, { "address": "0000:02:00.0" } ] }""", "nvme0 is used twice")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0", "totalvfs": 2 } ] }""", "totalvfs")]
    [InlineData("""{ "physicalFunctions": [ { "address": "0000:01:00.0", "totalVfs": 4, "vqFlexibleTotal": 2, "maxVqPerSecondary": 3 } ] }""", "maxVqPerSecondary")]
    [InlineData("""{ "drivers": [ { "name": "vfio-pci", "migrationFlags": ["StopCopy"] } ], "physicalFunctions": [ { "address": "0000:01:00.0", "driver": null } ] }""", "only a vfio driver")]
    public void Parse_BadConfig_FailsNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<EmulatedConfigException>(() => EmulatedHostConfig.Parse(json, "test.json"));
        Assert.Contains("test.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_MissingFile_IsAClearConfigError()
    {
        var error = Assert.Throws<EmulatedConfigException>(() => EmulatedHostConfig.Load(Path.Combine(_directory, "absent.json")));
        Assert.Contains("cannot be read", error.Message);
    }

    [Fact]
    public void OpenFile_SecondInstance_SeesStateWrittenByTheFirst()
    {
        string config = Path.Combine(_directory, "host.json");
        File.WriteAllText(config, CreateMigrationPair().Config.ToJson());
        var first = EmulatedHost.OpenFile(config);
        first.WriteAllText(Dev(Pf0, "sriov_drivers_autoprobe"), "0");
        first.WriteAllText(Dev(Pf0, "sriov_numvfs"), "2");
        AssignAndOnline(Client(first), 1);
        first.WriteAllText(Dev("0000:01:00.1", "driver_override"), "vfio-pci");
        first.WriteAllText("/sys/bus/pci/drivers/vfio-pci/bind", "0000:01:00.1");
        Client(first).Suspend(1);

        var second = EmulatedHost.OpenFile(config);
        Assert.Equal("2\n", second.ReadAllText(Dev(Pf0, "sriov_numvfs")));
        Assert.Equal("../../../bus/pci/drivers/vfio-pci", second.ReadLink(Dev("0000:01:00.1", "driver")));
        Assert.True(Client(second).GetControllerState(1).ControllerSuspended);
        Assert.Equal(["host.json", "host.json.state.json"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void OpenFile_CorruptState_IsAClearErrorNamingTheFile()
    {
        string config = Path.Combine(_directory, "host.json");
        File.WriteAllText(config, Config(Pf()).ToJson());
        File.WriteAllText(EmulatedHost.StatePathFor(config), "{ not json");
        var error = Assert.Throws<EmulatedConfigException>(() => EmulatedHost.OpenFile(config));
        Assert.Contains("host.json.state.json", error.Message);
    }

    [Fact]
    public void OpenFile_StateOfAnotherConfig_IsRejected()
    {
        string config = Path.Combine(_directory, "host.json");
        File.WriteAllText(config, Config(Pf()).ToJson());
        EmulatedStateFile.Save(EmulatedHost.StatePathFor(config), Create(Pf(Pf1)).CaptureState());
        Assert.Throws<EmulatedConfigException>(() => EmulatedHost.OpenFile(config));
    }

    /// <summary>Another process opening the host reads a whole state: the old one if the save died before its rename, else the new one.</summary>
    [Theory]
    [MemberData(nameof(AtomicFileWriterTests.Steps), MemberType = typeof(AtomicFileWriterTests))]
    public void Save_Should_LeaveTheOldOrTheNewState_When_TheProcessDiesAfterAnyStepOfTheWrite(AtomicWriteStep crashAfter)
    {
        string config = Path.Combine(_directory, "host.json");
        File.WriteAllText(config, Config(Pf()).ToJson());
        var host = EmulatedHost.OpenFile(config);
        host.WriteAllText(Dev(Pf0, "sriov_numvfs"), "1");
        var changed = new EmulatedHost(Config(Pf()));
        changed.WriteAllText(Dev(Pf0, "sriov_numvfs"), "3");

        Assert.Throws<SimulatedCrashException>(() =>
            EmulatedStateFile.Save(EmulatedHost.StatePathFor(config), changed.CaptureState(), new AtomicFileWriter(SimulatedCrash.After(crashAfter))));

        Assert.Equal(crashAfter >= AtomicWriteStep.Renamed ? "3\n" : "1\n", EmulatedHost.OpenFile(config).ReadAllText(Dev(Pf0, "sriov_numvfs")));
    }

    [Fact]
    public void SameHostObject_OutlivesClientsAndDevices()
    {
        var host = Create();
        using (var device = host.Open("/dev/nvme0"))
        {
            new NvmeAdminClient(device).VirtualizationManagement(VirtualizationManagementFields.ActSecondaryAssign, VirtualizationManagementFields.ResourceVq, 1, 2);
        }

        Assert.Equal(2, Client(host).ListSecondaryControllers()[0].QueueResources);
    }
}
