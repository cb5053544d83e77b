namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>
/// A change made through sysfs attribute writes (reference §1). <see cref="Writes"/> lists exactly the writes
/// <c>SriovSysfs</c> performs for it, in order, given the state read when the plan was made.
/// </summary>
public abstract record SysfsWriteAction : HostAction
{
    public abstract IReadOnlyList<SysfsWrite> Writes { get; }

    public override string Describe() =>
        string.Join("; ", Writes.Select(w => $"write \"{w.PrintableValue}\" to {w.Path}"));

    public override HostActionView ToView() => new()
    {
        Kind = HostActionView.SysfsWriteKind,
        Description = Describe(),
        Path = Writes[0].Path,
        Value = Writes[0].PrintableValue,
        Writes = Writes.Select(w => new SysfsWriteView(w.Path, w.PrintableValue)).ToList(),
    };
}
