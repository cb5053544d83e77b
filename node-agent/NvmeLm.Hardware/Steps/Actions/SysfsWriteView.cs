namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>Serializable sysfs write: path and value (a newline shown as <c>\n</c>).</summary>
public sealed record SysfsWriteView(string Path, string Value);
