using System.Text.RegularExpressions;

namespace NvmeLm.Hardware.Pci;

/// <summary>Kernel NVMe device names: controllers <c>nvmeN</c>, namespaces <c>nvmeXnY</c> (and multipath paths <c>nvmeXcYnZ</c>).</summary>
public static partial class NvmeNames
{
    public static bool IsControllerName(string name) => ControllerRegex().IsMatch(name);

    /// <summary>
    /// The block device of a namespace entry under <c>&lt;pf&gt;/nvme/nvmeN/</c>: <c>nvme0n1</c> as is, and a
    /// native-multipath path node <c>nvme0c0n1</c> as its head device <c>nvme0n1</c>; null for anything else.
    /// </summary>
    public static string? NamespaceBlockDevice(string entry)
    {
        var match = NamespaceRegex().Match(entry);
        return match.Success ? $"nvme{match.Groups[1].Value}n{match.Groups[3].Value}" : null;
    }

    [GeneratedRegex("^nvme[0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ControllerRegex();

    [GeneratedRegex("^nvme([0-9]+)(c[0-9]+)?n([0-9]+)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceRegex();
}
