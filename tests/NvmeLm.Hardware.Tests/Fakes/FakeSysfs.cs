namespace NvmeLm.Hardware.Tests.Fakes;

/// <summary>
/// Lays out a temporary directory like a Linux host's /sys, /dev and /proc: PCI functions are real
/// directories under <c>/sys/devices/pci0000:00/</c> with <c>/sys/bus/pci/devices/&lt;addr&gt;</c> symlinks to
/// them, as the kernel does. Files and symlinks are real, so LinuxHostFileSystem is exercised for real.
/// Kernel rules (ERANGE, EBUSY…) do not exist here; they live in the emulated host.
/// </summary>
internal sealed class FakeSysfs : IDisposable
{
    public const string DevicesParent = "/sys/devices/pci0000:00";

    public FakeSysfs()
    {
        Root = Directory.CreateTempSubdirectory("nvmelm-sysfs-").FullName;
        Directory.CreateDirectory(Host("/sys/bus/pci/devices"));
        Directory.CreateDirectory(Host("/sys/bus/pci/drivers"));
        Directory.CreateDirectory(Host(DevicesParent));
    }

    public string Root { get; }

    /// <summary>The real path of a host path inside the fake root.</summary>
    public string Host(string hostPath) => Root + hostPath;

    public DeviceBuilder Device(string address)
    {
        Directory.CreateDirectory(Host($"{DevicesParent}/{address}"));
        string link = Host($"/sys/bus/pci/devices/{address}");
        if (!Path.Exists(link))
        {
            System.IO.File.CreateSymbolicLink(link, $"../../../devices/pci0000:00/{address}");
        }

        return new DeviceBuilder(this, address);
    }

    /// <summary>A loaded driver: <c>/sys/bus/pci/drivers/&lt;name&gt;/{bind,unbind}</c>.</summary>
    public FakeSysfs Driver(string name)
    {
        string directory = Host($"/sys/bus/pci/drivers/{name}");
        Directory.CreateDirectory(directory);
        System.IO.File.WriteAllText(Path.Combine(directory, "bind"), string.Empty);
        System.IO.File.WriteAllText(Path.Combine(directory, "unbind"), string.Empty);
        return this;
    }

    public FakeSysfs File(string hostPath, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Host(hostPath))!);
        System.IO.File.WriteAllText(Host(hostPath), content);
        return this;
    }

    public FakeSysfs Symlink(string hostPath, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Host(hostPath))!);
        System.IO.File.CreateSymbolicLink(Host(hostPath), target);
        return this;
    }

    /// <summary>Binds in the fake tree the way the kernel would show it: the device's driver link.</summary>
    public void SetDriverLink(string address, string? driver)
    {
        string link = Host($"{DevicesParent}/{address}/driver");
        if (Path.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            System.IO.File.Delete(link);
        }

        if (driver is not null)
        {
            System.IO.File.CreateSymbolicLink(link, $"../../../bus/pci/drivers/{driver}");
        }
    }

    public string ReadDeviceFile(string address, string name) => System.IO.File.ReadAllText(Host($"{DevicesParent}/{address}/{name}"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A FIFO with a blocked writer may linger; the temp dir is cleaned by the OS eventually.
        }
    }

    internal sealed class DeviceBuilder
    {
        private readonly FakeSysfs _sysfs;
        private readonly string _address;

        public DeviceBuilder(FakeSysfs sysfs, string address)
        {
            _sysfs = sysfs;
            _address = address;
        }

        public FakeSysfs Sysfs => _sysfs;

        private string Dir => _sysfs.Host($"{DevicesParent}/{_address}");

        public DeviceBuilder File(string name, string content)
        {
            string path = Path.Combine(Dir, name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, content);
            return this;
        }

        public DeviceBuilder Directory(string name)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Dir, name));
            return this;
        }

        public DeviceBuilder Symlink(string name, string target)
        {
            System.IO.File.CreateSymbolicLink(Path.Combine(Dir, name), target);
            return this;
        }

        /// <summary>The identity files every PCI function has (hex as sysfs prints them, with newline).</summary>
        public DeviceBuilder Identity(string vendor, string device, string pciClass) =>
            File("vendor", vendor + "\n").File("device", device + "\n").File("class", pciClass + "\n");

        public DeviceBuilder Driver(string driver)
        {
            _sysfs.SetDriverLink(_address, driver);
            return this;
        }

        public DeviceBuilder IommuGroup(int group) => Symlink("iommu_group", $"../../../kernel/iommu_groups/{group}");

        /// <summary>A PF with SR-IOV attributes as the QEMU lab guest showed them.</summary>
        public DeviceBuilder Sriov(int total, int numVfs, int offset = 1, int stride = 1, string vfDevice = "10", int autoprobe = 1) =>
            File("sriov_totalvfs", $"{total}\n").File("sriov_numvfs", $"{numVfs}\n").File("sriov_offset", $"{offset}\n")
                .File("sriov_stride", $"{stride}\n").File("sriov_vf_device", vfDevice + "\n").File("sriov_drivers_autoprobe", $"{autoprobe}\n");
    }
}
