namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>
/// One exact host write a step will perform: a sysfs attribute write or an NVMe admin command. The same
/// objects serve Plan mode (<c>--dry-run</c>: printed, nothing changes) and Apply mode (executed in order,
/// each one journalled before and after), so what is printed is what would be done.
/// </summary>
public abstract record HostAction
{
    /// <summary>The PF the write belongs to (journal record key).</summary>
    public abstract PciAddress Pf { get; }

    /// <summary>One line: the path and value, or the NVMe command with its fields.</summary>
    public abstract string Describe();

    /// <summary>A stable, serializable view of the action for <c>--json</c> output.</summary>
    public abstract HostActionView ToView();

    internal abstract void Apply(StepContext context);

    public sealed override string ToString() => Describe();
}
