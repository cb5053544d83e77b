using System.Text.RegularExpressions;

namespace NvmeLm.Hardware.Pci;

/// <summary>Kernel driver names as they appear under <c>/sys/bus/pci/drivers</c>; validated before they become a path.</summary>
public static partial class DriverName
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    public const string VfioPci = "vfio-pci";

    // '$' in the (CRD-compatible) pattern also matches before a trailing newline; refuse that explicitly.
    public static bool IsValid(string? name) => name is not null && !name.Contains('\n', StringComparison.Ordinal) && NameRegex().IsMatch(name);

    public static string Validate(string name) =>
        IsValid(name) ? name : throw new ArgumentException($"'{name}' is not a valid PCI driver name (letters, digits, '_', '-', '.').", nameof(name));

    /// <summary>vfio-pci and its variant drivers (e.g. mlx5_vfio_pci, pds-vfio-pci) expose <c>/dev/vfio/&lt;group&gt;</c> once bound.</summary>
    public static bool IsVfio(string name) => name.Contains("vfio", StringComparison.Ordinal);

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
