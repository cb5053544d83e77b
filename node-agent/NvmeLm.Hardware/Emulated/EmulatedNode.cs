namespace NvmeLm.Hardware.Emulated;

/// <summary>What a path of the emulated host is.</summary>
internal enum EmulatedNodeKind
{
    Directory,
    File,
    Link,
    Device,
}

/// <summary>
/// One entry of the emulated host's file tree, computed from the hardware state on each lookup.
/// Files carry their read/write behaviour: <see cref="Read"/> null = write-only (EACCES on read, like a
/// 0200 sysfs attribute), <see cref="Write"/> null = read-only (EACCES on write); a write returns 0 or an errno.
/// </summary>
internal sealed record EmulatedNode(
    EmulatedNodeKind Kind,
    string? LinkTarget = null,
    Func<string>? Read = null,
    Func<string, int>? Write = null)
{
    public static readonly EmulatedNode Directory = new(EmulatedNodeKind.Directory);
    public static readonly EmulatedNode Device = new(EmulatedNodeKind.Device);

    public static EmulatedNode Link(string target) => new(EmulatedNodeKind.Link, target);

    public static EmulatedNode ReadOnly(Func<string> read) => new(EmulatedNodeKind.File, Read: read);

    public static EmulatedNode ReadWrite(Func<string> read, Func<string, int> write) => new(EmulatedNodeKind.File, Read: read, Write: write);

    public static EmulatedNode WriteOnly(Func<string, int> write) => new(EmulatedNodeKind.File, Write: write);
}
