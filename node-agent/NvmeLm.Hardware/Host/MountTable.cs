using System.Text;

namespace NvmeLm.Hardware.Host;

/// <summary>
/// Parses <c>/proc/mounts</c> (fstab format: source, mount point, type, options, dump, pass; spaces, tabs,
/// newlines and backslashes in fields are written as octal escapes such as <c>\040</c>).
/// </summary>
public static class MountTable
{
    public const string ProcMounts = "/proc/mounts";

    public static IReadOnlyList<MountEntry> Read(IHostFileSystem files) => Parse(files.ReadAllText(ProcMounts));

    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        var entries = new List<MountEntry>();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                continue;
            }

            entries.Add(new MountEntry(Unescape(fields[0]), Unescape(fields[1]), Unescape(fields[2])));
        }

        return entries;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits) => digits.Length == 3 && !digits.ContainsAnyExceptInRange('0', '7');
}
