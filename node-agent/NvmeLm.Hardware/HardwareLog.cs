using Microsoft.Extensions.Logging;

namespace NvmeLm.Hardware;

/// <summary>Source-generated log messages of the hardware layer (event ids 1000–1099 for sysfs writes).</summary>
internal static partial class HardwareLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Write '{Value}' to {Path}")]
    public static partial void SysfsWrite(this ILogger logger, string path, string value);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Transient {Errno} on {Path}, retry {Attempt}")]
    public static partial void SysfsRetry(this ILogger logger, string path, string errno, int attempt);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Bind of {PciAddress} to {Driver} failed; restoring {PreviousDriver}")]
    public static partial void BindRollback(this ILogger logger, PciAddress pciAddress, string driver, string previousDriver, Exception exception);
}
