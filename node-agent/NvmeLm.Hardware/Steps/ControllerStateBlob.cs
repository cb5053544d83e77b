using System.Security.Cryptography;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// A saved controller state and its SHA-256. The format is opaque (TP4193 is still revising it, reference §4a/4b);
/// only the 48-byte header is parsed, to check that the byte count matches what the header announces.
/// </summary>
public sealed record ControllerStateBlob(byte[] Data, string Sha256)
{
    public long Length => Data.Length;

    public ControllerStateHeader Header => ControllerStateHeader.Parse(Data.AsSpan(0, ControllerStateHeaderLayout.Size));

    public static ControllerStateBlob FromBytes(byte[] data) => new(data, HashOf(data));

    public static string HashOf(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// Checks size and digest before anything is written to a controller: the data is whole dwords, at least a
    /// header, exactly the size the header announces, and (when given) has the expected SHA-256.
    /// </summary>
    public static ControllerStateBlob Verify(byte[] data, string? expectedSha256, string source)
    {
        if (data.Length < ControllerStateHeaderLayout.Size || data.Length % 4 != 0)
        {
            throw new HardwareRefusedException(RefusalReason.StateMismatch,
                $"controller state {source} is {data.Length} bytes; it must be whole dwords and at least the {ControllerStateHeaderLayout.Size}-byte header");
        }

        ControllerStateHeader header;
        try
        {
            header = ControllerStateHeader.Parse(data.AsSpan(0, ControllerStateHeaderLayout.Size));
        }
        catch (FormatException ex)
        {
            throw new HardwareRefusedException(RefusalReason.StateMismatch, $"controller state {source} has an unreadable header: {ex.Message}");
        }

        if (header.TotalBytes != data.Length)
        {
            throw new HardwareRefusedException(RefusalReason.StateMismatch,
                $"controller state {source} is {data.Length} bytes but its header announces {header.TotalBytes}; refusing a truncated or padded state");
        }

        string actual = HashOf(data);
        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new HardwareRefusedException(RefusalReason.StateMismatch,
                $"controller state {source} has SHA-256 {actual}, expected {expectedSha256.ToLowerInvariant()}; refusing to write it");
        }

        return new ControllerStateBlob(data, actual);
    }
}
