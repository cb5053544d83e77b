using NvmeLm.Hardware;
using NvmeLm.Hardware.Host;

namespace NvmeLm.NodeAgent.Cli;

/// <summary>The real host's seams. <c>NVMELM_HOST_ROOT</c> relocates <c>/</c> (e.g. a host mounted at <c>/host</c> in a container).</summary>
internal static class LinuxHardware
{
    public const string RootVariable = "NVMELM_HOST_ROOT";

    public static HostHardware Create() =>
        HardwareFactory.CreateLinux(Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root ? root : "/");
}
