namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>One attribute write: exactly this value to exactly this path (<c>echo -n value &gt; path</c>).</summary>
public sealed record SysfsWrite(string Path, string Value)
{
    /// <summary>The value with a newline shown as <c>\n</c> (clearing <c>driver_override</c> writes one).</summary>
    public string PrintableValue => Value.Replace("\n", "\\n", StringComparison.Ordinal);
}
