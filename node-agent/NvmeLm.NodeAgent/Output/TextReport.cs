namespace NvmeLm.NodeAgent.Output;

/// <summary>Human-readable output of a <see cref="CommandView"/>: one line per host action, then notes and results.</summary>
public static class TextReport
{
    public static void Write(TextWriter output, CommandView view)
    {
        string verb = view.DryRun ? "would" : "did";
        output.WriteLine($"{view.Command} {view.Pf}{(view.DryRun ? " (dry run: nothing changed)" : string.Empty)}");
        foreach (StepView step in view.Steps)
        {
            output.WriteLine($"  {step.Step}:");
            if (step.Actions.Count == 0)
            {
                output.WriteLine(view.DryRun ? "    no host writes planned" : "    no host writes");
            }

            foreach (var action in step.Actions)
            {
                output.WriteLine($"    {verb}: {action.Description}");
            }

            foreach (string note in step.Notes)
            {
                output.WriteLine($"    note: {note}");
            }
        }

        foreach (SecondaryControllerView s in view.Secondaries ?? [])
        {
            output.WriteLine($"  SCID {s.Scid}: VFN {s.Vfn} virtfn{s.Virtfn} {s.VfAddress} {(s.Online ? "online" : "offline")} NVQ {s.Nvq} NVI {s.Nvi} driver {s.Driver ?? "-"} iommu_group {s.IommuGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        }

        foreach (BindView b in view.Bindings ?? [])
        {
            output.WriteLine($"  SCID {b.Scid}: {b.Vf} -> {b.Driver} {b.VfioGroup ?? string.Empty} ({b.MigrationSupport})");
        }

        if (view.State is StateFileView state)
        {
            output.WriteLine($"  state SCID {state.Scid}: {state.File} size {state.Size} sha256 {state.Sha256}");
        }
    }
}
