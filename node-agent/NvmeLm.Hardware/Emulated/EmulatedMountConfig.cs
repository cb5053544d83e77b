namespace NvmeLm.Hardware.Emulated;

/// <summary>A line of <c>/proc/mounts</c>: e.g. <c>/dev/nvme0n1 /data ext4</c>, to exercise the safety refusals.</summary>
public sealed class EmulatedMountConfig
{
    public string Source { get; set; } = "";
    public string Target { get; set; } = "";
    public string FsType { get; set; } = "ext4";
}
