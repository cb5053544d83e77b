using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace NvmeLm.Hardware;

/// <summary>
/// A PCI function address in the kernel's sysfs form <c>DDDD:BB:DD.F</c> (domain, bus, device, function),
/// lower-case hex. This is the only way a PCI address becomes part of a host path: anything that does not
/// match <see cref="Pattern"/> is rejected before it can reach the file system (DESIGN §5, safety).
/// </summary>
public readonly partial record struct PciAddress : IComparable<PciAddress>
{
    /// <summary>The accepted text form; also used as the CRD pattern for PCI addresses.</summary>
    public const string Pattern = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$";

    /// <summary>Length of <c>DDDD:BB:DD.F</c>.</summary>
    public const int TextLength = 12;

    private PciAddress(int domain, int bus, int device, int function)
    {
        Domain = domain;
        Bus = bus;
        Device = device;
        Function = function;
    }

    public int Domain { get; }
    public int Bus { get; }
    /// <summary>Device (slot) number, 0–31.</summary>
    public int Device { get; }
    /// <summary>Function number, 0–7.</summary>
    public int Function { get; }

    /// <summary>Routing ID low byte: device &lt;&lt; 3 | function (PCI devfn).</summary>
    public int DevFn => (Device << 3) | Function;

    public static PciAddress FromParts(int domain, int bus, int device, int function)
    {
        if (domain is < 0 or > 0xffff || bus is < 0 or > 0xff || device is < 0 or > 0x1f || function is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(domain), $"PCI address parts out of range: {domain:x}:{bus:x}:{device:x}.{function}");
        }

        return new PciAddress(domain, bus, device, function);
    }

    /// <summary>Parses <c>DDDD:BB:DD.F</c>; throws <see cref="FormatException"/> with the offending text otherwise.</summary>
    public static PciAddress Parse(string text)
    {
        return TryParse(text, out var address)
            ? address
            : throw new FormatException($"'{text}' is not a PCI address of the form DDDD:BB:DD.F in lower-case hex (e.g. 0000:01:00.0)");
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out PciAddress address)
    {
        address = default;
        // The length check also rejects a trailing newline, which '$' in the pattern would otherwise accept.
        if (text is null || text.Length != TextLength || !AddressRegex().IsMatch(text))
        {
            return false;
        }

        int domain = int.Parse(text.AsSpan(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int bus = int.Parse(text.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int device = int.Parse(text.AsSpan(8, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int function = text[11] - '0';
        if (device > 0x1f)
        {
            return false;
        }

        address = new PciAddress(domain, bus, device, function);
        return true;
    }

    public int CompareTo(PciAddress other) =>
        (Domain, Bus, Device, Function).CompareTo((other.Domain, other.Bus, other.Device, other.Function));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}.{Function}");

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex AddressRegex();
}
