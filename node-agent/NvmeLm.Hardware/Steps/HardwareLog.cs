using Microsoft.Extensions.Logging;

namespace NvmeLm.Hardware.Steps;

/// <summary>Source-generated log messages of the steps.</summary>
internal static partial class HardwareLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Step}: {Action}")]
    public static partial void HostWrite(ILogger logger, string step, string action);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "{Step}: {Detail}")]
    public static partial void StepNote(ILogger logger, string step, string detail);
}
