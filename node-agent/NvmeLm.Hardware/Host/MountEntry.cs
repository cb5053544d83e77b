namespace NvmeLm.Hardware.Host;

/// <summary>One line of <c>/proc/mounts</c>: the mounted source, where, and the file-system type.</summary>
public sealed record MountEntry(string Source, string MountPoint, string FileSystemType);
