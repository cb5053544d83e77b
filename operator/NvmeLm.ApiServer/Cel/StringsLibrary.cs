using System.Collections;
using System.Text;
using Cel;

namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// The string functions of cel-go's <c>ext.Strings</c> library, which Kubernetes enables in its CEL environments
/// and policies use (<c>username.split(':')</c>, <c>name.substring(6)</c>, <c>lowerAscii()</c>, <c>list.join(',')</c>);
/// the Cel package has only contains, startsWith, endsWith, matches and size. Indexes count UTF-16 code units,
/// which equals cel-go's code points for the ASCII names and claims policies work on.
/// </summary>
internal static class StringsLibrary
{
    public static void Register(CelEnvironment environment)
    {
        Type s = typeof(string);
        Type i = typeof(long);
        environment.RegisterFunction("charAt", [s, i], a => Text(a).Length == Index(a, 1) ? "" : Text(a)[Checked(a, 1)].ToString());
        environment.RegisterFunction("indexOf", [s, s], a => (long)Text(a).IndexOf(Text(a, 1), StringComparison.Ordinal));
        environment.RegisterFunction("indexOf", [s, s, i], a => (long)Text(a).IndexOf(Text(a, 1), Checked(a, 2), StringComparison.Ordinal));
        environment.RegisterFunction("lastIndexOf", [s, s], a => (long)Text(a).LastIndexOf(Text(a, 1), StringComparison.Ordinal));
        environment.RegisterFunction("lowerAscii", [s], a => Ascii(Text(a), upper: false));
        environment.RegisterFunction("upperAscii", [s], a => Ascii(Text(a), upper: true));
        environment.RegisterFunction("replace", [s, s, s], a => Text(a).Replace(Text(a, 1), Text(a, 2), StringComparison.Ordinal));
        environment.RegisterFunction("split", [s, s], a => Text(a).Split(Text(a, 1)).Cast<object?>().ToList());
        environment.RegisterFunction("split", [s, s, i], a => Split(Text(a), Text(a, 1), Index(a, 2)));
        environment.RegisterFunction("substring", [s, i], a => Text(a)[Checked(a, 1)..]);
        environment.RegisterFunction("substring", [s, i, i], a => Substring(Text(a), Index(a, 1), Index(a, 2)));
        environment.RegisterFunction("trim", [s], a => Text(a).Trim());
        environment.RegisterFunction("join", [typeof(IList)], a => Join((IList)a[0]!, ""));
        environment.RegisterFunction("join", [typeof(IList), s], a => Join((IList)a[0]!, Text(a, 1)));
    }

    private static string Text(object?[] args, int index = 0) => (string)args[index]!;

    private static long Index(object?[] args, int index) => (long)args[index]!;

    /// <summary>An index into the receiver, or cel-go's "index out of range" error.</summary>
    private static int Checked(object?[] args, int index)
    {
        long value = Index(args, index);
        return value < 0 || value > Text(args).Length ? throw new CelArgumentRangeException($"index out of range: {value}") : (int)value;
    }

    private static string Substring(string text, long start, long end)
    {
        if (start < 0 || end > text.Length || start > end)
        {
            throw new CelArgumentRangeException($"index out of range: {(start < 0 || start > text.Length ? start : end)}");
        }
        return text[(int)start..(int)end];
    }

    private static List<object?> Split(string text, string separator, long limit) => limit switch
    {
        0 => [],
        < 0 => text.Split(separator).Cast<object?>().ToList(),
        _ => text.Split(separator, (int)Math.Min(limit, int.MaxValue)).Cast<object?>().ToList(),
    };

    private static string Join(IList items, string separator) =>
        string.Join(separator, items.Cast<object?>().Select(item => item as string ?? throw new CelNoSuchOverloadException("join: the list must hold strings")));

    private static string Ascii(string text, bool upper)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                >= 'a' and <= 'z' when upper => (char)(c - 32),
                >= 'A' and <= 'Z' when !upper => (char)(c + 32),
                _ => c,
            });
        }
        return builder.ToString();
    }
}
