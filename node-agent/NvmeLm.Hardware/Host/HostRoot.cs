namespace NvmeLm.Hardware.Host;

/// <summary>
/// Maps absolute host paths under a configurable root (<c>/</c> in production, a temp directory in tests),
/// refusing anything that could escape it: relative paths, <c>..</c> segments, NUL.
/// </summary>
public sealed class HostRoot
{
    public HostRoot(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"The host root must be an absolute path, got '{root}'.", nameof(root));
        }

        Directory = Path.TrimEndingDirectorySeparator(root);
    }

    /// <summary>The root directory ("/" means host paths are used as they are).</summary>
    public string Directory { get; }

    public string Map(string hostPath)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        if (!hostPath.StartsWith('/') || hostPath.Contains('\0', StringComparison.Ordinal) || hostPath.Split('/').Any(segment => segment == ".."))
        {
            throw new ArgumentException($"'{hostPath.Replace("\0", "\\0", StringComparison.Ordinal)}' is not an absolute host path without '..' segments.", nameof(hostPath));
        }

        return Directory == "/" ? hostPath : Directory + hostPath;
    }
}
