using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 2: map every secondary controller to its VF (reference §3 CNS 0x15, §1 virtfnN). The VFN→VF
/// relation is checked, not assumed (reference Quick answers: "VFN=i+1 ↔ virtfn(i): UNVERIFIED"):
/// VFNs must be unique and within 1..TotalVFs, and for every enabled VF the <c>virtfn&lt;VFN-1&gt;</c> link must
/// point exactly where the PF's SR-IOV offset/stride put VF number VFN. A disagreement is refused by name.
/// </summary>
public sealed class ListSecondariesStep
{
    public const string Name = "list-secondaries";

    private readonly StepContext _context;

    public ListSecondariesStep(StepContext context)
    {
        _context = context;
    }

    public SecondaryListResult Run(PciAddress pf) => Run(PfReader.Read(_context.Sysfs, pf));

    public SecondaryListResult Run(PfSnapshot snapshot)
    {
        IReadOnlyList<SecondaryController> secondaries = _context.Primary(snapshot.Pf).ListSecondaryControllers();
        return Map(snapshot, secondaries);
    }

    /// <summary>The mapping of <paramref name="secondaries"/> onto <paramref name="snapshot"/>'s VFs, verified.</summary>
    public static SecondaryListResult Map(PfSnapshot snapshot, IReadOnlyList<SecondaryController> secondaries)
    {
        var notes = new List<string>();
        var mappings = new List<SecondaryMapping>();
        var seenVfns = new Dictionary<int, int>();
        foreach (SecondaryController secondary in secondaries.OrderBy(s => s.ControllerId))
        {
            int vfn = secondary.VirtualFunctionNumber;
            if (vfn == 0)
            {
                notes.Add($"secondary controller SCID {secondary.ControllerId} is not associated with a VF (VFN 0)");
                continue;
            }

            if (vfn > snapshot.TotalVfs)
            {
                throw Mismatch(snapshot.Pf, $"SCID {secondary.ControllerId} reports VFN {vfn}, beyond sriov_totalvfs {snapshot.TotalVfs}");
            }

            if (!seenVfns.TryAdd(vfn, secondary.ControllerId))
            {
                throw Mismatch(snapshot.Pf, $"SCID {seenVfns[vfn]} and SCID {secondary.ControllerId} both report VFN {vfn}");
            }

            int index = vfn - 1;
            PciAddress expected = snapshot.ExpectedVfAddress(index);
            VirtualFunction? vf = snapshot.FindVf(index);
            if (index < snapshot.NumVfs && vf is null)
            {
                throw Mismatch(snapshot.Pf, $"sriov_numvfs is {snapshot.NumVfs} but virtfn{index} (VFN {vfn}, SCID {secondary.ControllerId}) does not exist");
            }

            if (vf is not null && vf.Address != expected)
            {
                throw Mismatch(snapshot.Pf,
                    $"SCID {secondary.ControllerId} has VFN {vfn}; virtfn{index} points to {vf.Address} but offset {snapshot.VfOffset}/stride {snapshot.VfStride} place VF {vfn} at {expected}");
            }

            mappings.Add(new SecondaryMapping(
                secondary.ControllerId,
                secondary.PrimaryControllerId,
                secondary.VirtualFunctionNumber,
                secondary.Online,
                secondary.QueueResources,
                secondary.InterruptResources,
                index,
                expected,
                vf is not null,
                vf?.Driver,
                vf?.DriverOverride,
                vf?.IommuGroup));
        }

        foreach (VirtualFunction vf in snapshot.Vfs)
        {
            if (!seenVfns.ContainsKey(vf.Index + 1))
            {
                notes.Add($"virtfn{vf.Index} ({vf.Address}) has no secondary controller in the primary's list");
            }
        }

        return new SecondaryListResult(snapshot.Pf, mappings, notes);
    }

    private static HardwareRefusedException Mismatch(PciAddress pf, string detail) =>
        new(RefusalReason.WrongState, $"PF {pf}: the secondary controller list disagrees with sysfs: {detail}; refusing to guess the SCID↔VF mapping");
}
