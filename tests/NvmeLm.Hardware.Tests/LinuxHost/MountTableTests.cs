using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Tests.LinuxHost;

public class MountTableTests
{
    [Fact]
    public void Parse_Should_ReadFieldsAndUnescapeOctal()
    {
        const string text =
            "sysfs /sys sysfs rw,nosuid 0 0\n" +
            "/dev/nvme0n1p2 /mnt/my\\040data ext4 rw,relatime 0 0\n" +
            "\n" +
            "broken-line\n";

        var mounts = MountTable.Parse(text);

        Assert.Equal(2, mounts.Count);
        Assert.Equal(new MountEntry("/dev/nvme0n1p2", "/mnt/my data", "ext4"), mounts[1]);
    }

    [Fact]
    public void Parse_Should_KeepBackslash_When_NotAnOctalEscape() =>
        Assert.Equal("/mnt/a\\x", MountTable.Parse("/dev/sda1 /mnt/a\\x ext4 rw 0 0").Single().MountPoint);
}
