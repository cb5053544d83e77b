using System.Text.RegularExpressions;
using NvmeLm.Hardware.Host;
using Tmds.Linux;

namespace NvmeLm.Hardware.Nvme.Linux;

/// <summary>Opens <c>/dev/nvmeN</c> (mapped under the host root) read-write; only controller character devices are accepted.</summary>
public sealed partial class LinuxNvmeAdminDeviceOpener : INvmeAdminDeviceOpener
{
    private readonly HostRoot _root;

    public LinuxNvmeAdminDeviceOpener(string root = "/") => _root = new HostRoot(root);

    public INvmeAdminDevice Open(string devicePath)
    {
        if (devicePath is null || !ControllerPathRegex().IsMatch(devicePath))
        {
            throw new ArgumentException($"'{devicePath}' is not an NVMe controller device path of the form /dev/nvmeN.", nameof(devicePath));
        }

        var fd = Interop.Interop.Open(devicePath, _root.Map(devicePath), LibC.O_RDWR);
        return new LinuxNvmeAdminDevice(devicePath, fd);
    }

    [GeneratedRegex("^/dev/nvme[0-9]{1,5}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ControllerPathRegex();
}
