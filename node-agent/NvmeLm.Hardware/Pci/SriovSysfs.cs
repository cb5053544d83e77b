using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Hardware.Host;
using Polly;
using Polly.Retry;
using static NvmeLm.Hardware.Pci.SysfsPaths;

namespace NvmeLm.Hardware.Pci;

/// <summary>
/// PCI SR-IOV and driver binding over <see cref="IHostFileSystem"/> (reference §1), shared by the Linux host
/// and the emulated host. Reads are plain; writes follow the kernel's rules (see the partial files).
/// Only EBUSY/EAGAIN on a driver <c>bind</c> of a device that had no driver is retried (a concurrent probe was
/// in progress); every other errno, including EBUSY from <c>sriov_numvfs</c> (a rule), fails at once.
/// </summary>
public sealed partial class SriovSysfs
{
    public const int TransientRetryAttempts = 4;
    public static readonly TimeSpan TransientRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IHostFileSystem _files;
    private readonly ILogger _logger;
    private readonly TimeSpan _retryDelay;
    private ResiliencePipeline? _transientRetry;

    public SriovSysfs(IHostFileSystem files, ILogger? logger = null, TimeSpan? retryDelay = null)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _logger = logger ?? NullLogger.Instance;
        _retryDelay = retryDelay ?? TransientRetryDelay;
    }

    /// <summary>
    /// Built on first use: only a bind ever retries, and building a Polly pipeline (option validation under a
    /// global lock) for every step context was a seventh of the CPU of a 100-node demo (dotnet-trace).
    /// </summary>
    private ResiliencePipeline TransientRetry => _transientRetry ??= new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HostIoException>(IsTransient),
            MaxRetryAttempts = TransientRetryAttempts,
            Delay = _retryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            OnRetry = args =>
            {
                if (args.Outcome.Exception is HostIoException io)
                {
                    _logger.SysfsRetry(io.Path, Errnos.Name(io.Errno), args.AttemptNumber + 1);
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    public IHostFileSystem Files => _files;

    /// <summary>PCI functions under /sys/bus/pci/devices; entries that are not valid addresses are ignored, never used.</summary>
    public IReadOnlyList<PciAddress> ListDevices()
    {
        var addresses = new List<PciAddress>();
        foreach (string name in _files.ListDirectory(SysBusPciDevices))
        {
            if (PciAddress.TryParse(name, out var address))
            {
                addresses.Add(address);
            }
        }

        addresses.Sort();
        return addresses;
    }

    /// <summary>NVMe PFs: class 0x010802 with an <c>sriov_totalvfs</c> attribute (reference §1; QEMU lab test.sh).</summary>
    public IReadOnlyList<NvmePhysicalFunction> DiscoverNvmePhysicalFunctions()
    {
        var found = new List<NvmePhysicalFunction>();
        foreach (var address in ListDevices())
        {
            if (ReadHex(address, ClassFile) == NvmeClassCode && _files.Exists(DeviceAttribute(address, SriovTotalVfsFile)))
            {
                found.Add(ReadPhysicalFunction(address));
            }
        }

        return found;
    }

    public NvmePhysicalFunction ReadPhysicalFunction(PciAddress pf) =>
        new(ReadFunction(pf), ReadSriov(pf), ReadVirtualFunctions(pf), ReadControllerDevice(pf));

    public PciFunction ReadFunction(PciAddress address)
    {
        RequireDevice(address);
        return new PciFunction(
            address,
            (ushort)ReadHex(address, VendorFile),
            (ushort)ReadHex(address, DeviceFile),
            ReadHex(address, ClassFile),
            ReadDriver(address),
            ReadDriverOverride(address),
            ReadIommuGroup(address));
    }

    public SriovState ReadSriov(PciAddress pf)
    {
        RequireDevice(pf);
        return new SriovState(
            ReadInt(pf, SriovTotalVfsFile),
            ReadInt(pf, SriovNumVfsFile),
            ReadInt(pf, SriovOffsetFile),
            ReadInt(pf, SriovStrideFile),
            (ushort)ReadHex(pf, SriovVfDeviceFile),
            ReadInt(pf, SriovDriversAutoprobeFile) != 0);
    }

    /// <summary>The PF's <c>virtfnN</c> links, ordered by N, each resolved to the VF address it points to.</summary>
    public IReadOnlyList<VirtualFunctionLink> ReadVirtualFunctions(PciAddress pf)
    {
        var links = new List<VirtualFunctionLink>();
        foreach (string name in _files.ListDirectory(Device(pf)))
        {
            if (!name.StartsWith(VirtFnLinkPrefix, StringComparison.Ordinal)
                || !int.TryParse(name.AsSpan(VirtFnLinkPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                continue;
            }

            string path = VirtFnLink(pf, index);
            links.Add(new VirtualFunctionLink(index, LinkTargetAddress(path)));
        }

        links.Sort((a, b) => a.Index.CompareTo(b.Index));
        return links;
    }

    /// <summary>A VF's PF (its <c>physfn</c> link), or null for a function that is not a VF.</summary>
    public PciAddress? ReadPhysicalFunctionOf(PciAddress vf)
    {
        string path = DeviceAttribute(vf, PhysFnLink);
        return TryReadLink(path) is null ? null : LinkTargetAddress(path);
    }

    /// <summary>The bound driver (the <c>driver</c> link's name), or null when unbound.</summary>
    public string? ReadDriver(PciAddress address)
    {
        string? target = TryReadLink(DeviceAttribute(address, DriverLink));
        if (target is null)
        {
            return null;
        }

        string name = LastSegment(target);
        return DriverName.IsValid(name) ? name : throw new InvalidDataException($"{address}: driver link points to '{target}', not a driver name.");
    }

    /// <summary><c>driver_override</c>, or null when unset (the kernel prints "(null)").</summary>
    public string? ReadDriverOverride(PciAddress address)
    {
        string path = DeviceAttribute(address, DriverOverrideFile);
        if (!_files.Exists(path))
        {
            return null;
        }

        string value = _files.ReadAllText(path).Trim();
        return value.Length == 0 || value == "(null)" ? null : value;
    }

    /// <summary>The IOMMU group number (the <c>iommu_group</c> link's last segment), or null without an IOMMU.</summary>
    public int? ReadIommuGroup(PciAddress address)
    {
        string? target = TryReadLink(DeviceAttribute(address, IommuGroupLink));
        if (target is null)
        {
            return null;
        }

        return int.TryParse(LastSegment(target), NumberStyles.None, CultureInfo.InvariantCulture, out int group)
            ? group
            : throw new InvalidDataException($"{address}: iommu_group link points to '{target}', not a group number.");
    }

    /// <summary>The controller character device of an NVMe function (<c>/dev/nvmeN</c> from <c>&lt;dev&gt;/nvme/nvmeN</c>), or null.</summary>
    public string? ReadControllerDevice(PciAddress address) =>
        ReadControllerName(address) is { } name ? "/dev/" + name : null;

    /// <summary>The controller name (<c>nvmeN</c>) of an NVMe function, or null when no driver created one.</summary>
    public string? ReadControllerName(PciAddress address)
    {
        string directory = DeviceAttribute(address, NvmeClassDirectory);
        if (!_files.Exists(directory))
        {
            return null;
        }

        return _files.ListDirectory(directory).FirstOrDefault(NvmeNames.IsControllerName);
    }

    public bool VfioGroupDeviceExists(int group) => _files.Exists(VfioGroupDevice(group));

    /// <summary>
    /// The iommufd character devices of a VFIO-bound function: <c>/sys/bus/pci/devices/&lt;addr&gt;/vfio-dev/vfioN</c>
    /// ↔ <c>/dev/vfio/devices/vfioN</c> (kernels with VFIO cdev support); empty when the host has none.
    /// </summary>
    public IReadOnlyList<string> VfioCdevs(PciAddress address)
    {
        try
        {
            return _files.ListDirectory(DeviceAttribute(address, VfioDevDirectory)).Select(name => $"{DevVfioDevices}/{name}").ToList();
        }
        catch (HostIoException ex) when (ex.Errno == Errnos.ENOENT)
        {
            return [];
        }
    }

    private void RequireDevice(PciAddress address)
    {
        if (!_files.Exists(Device(address)))
        {
            throw new SysfsRuleException(SysfsRuleReason.NoSuchDevice, address, $"no PCI function {address} under {SysBusPciDevices}", "Check the address with 'lspci -D'.");
        }
    }

    private PciAddress LinkTargetAddress(string linkPath)
    {
        string target = _files.ReadLink(linkPath) ?? throw new InvalidDataException($"{linkPath} is not a symlink.");
        return PciAddress.TryParse(LastSegment(target), out var address)
            ? address
            : throw new InvalidDataException($"{linkPath} points to '{target}', which does not end in a PCI address.");
    }

    private string? TryReadLink(string path)
    {
        try
        {
            return _files.ReadLink(path);
        }
        catch (HostIoException ex) when (ex.Errno == Errnos.ENOENT)
        {
            return null;
        }
    }

    private uint ReadHex(PciAddress address, string attribute)
    {
        string text = ReadAttribute(address, attribute);
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        return uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw new InvalidDataException($"{DeviceAttribute(address, attribute)} holds '{text}', not a hex number.");
    }

    private int ReadInt(PciAddress address, string attribute)
    {
        string text = ReadAttribute(address, attribute);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidDataException($"{DeviceAttribute(address, attribute)} holds '{text}', not a decimal number.");
    }

    private string ReadAttribute(PciAddress address, string attribute) => _files.ReadAllText(DeviceAttribute(address, attribute)).Trim();

    private static string LastSegment(string linkTarget) => linkTarget.TrimEnd('/').Split('/')[^1];

    private static bool IsTransient(HostIoException ex) => ex.Errno is Errnos.EBUSY or Errnos.EAGAIN;
}
