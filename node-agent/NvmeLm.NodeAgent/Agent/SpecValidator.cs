using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Pci;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Checks <c>NvmeNode.spec.physicalFunctions</c> before anything touches the hardware (bad input touches nothing).
/// The CRD schema already enforces patterns and bounds; this repeats what a path or a command depends on and adds
/// what the schema cannot say (one resource size per PF, roles with owners). A bad PF entry is reported by name
/// and skipped; the other PFs are still applied.
/// </summary>
public static class SpecValidator
{
    /// <summary>NVQ when the spec names none: one admin plus one I/O queue, the least a secondary can go online with (reference §6).</summary>
    public const int DefaultQueues = 2;

    /// <summary>NVI when the spec names none: one interrupt, the least a secondary can go online with.</summary>
    public const int DefaultInterrupts = 1;

    public static (IReadOnlyList<DesiredPf> Valid, IReadOnlyList<string> Errors) Validate(V1Alpha1NvmeNode.EntitySpec spec)
    {
        var valid = new List<DesiredPf>();
        var errors = new List<string>();
        var seen = new HashSet<PciAddress>();
        foreach (PhysicalFunctionSpec pf in spec.PhysicalFunctions ?? [])
        {
            string? error = TryBuild(pf, out DesiredPf? desired);
            if (error is null && !seen.Add(desired!.Pf))
            {
                error = $"PF {pf.Address} is listed twice";
            }

            if (error is not null)
            {
                errors.Add($"spec.physicalFunctions[{pf.Address}]: {error}");
                continue;
            }

            valid.Add(desired!);
        }

        return (valid, errors);
    }

    private static string? TryBuild(PhysicalFunctionSpec pf, out DesiredPf? desired)
    {
        desired = null;
        if (!PciAddress.TryParse(pf.Address, out PciAddress address))
        {
            return "not a PCI address of the form DDDD:BB:DD.F in lower-case hex";
        }

        if (pf.NumVfs is < 0 or > 255)
        {
            return $"numVfs {pf.NumVfs} is outside 0..255";
        }

        var secondaries = new Dictionary<int, DesiredSecondary>();
        var queues = new HashSet<int>();
        var interrupts = new HashSet<int>();
        foreach (SecondaryControllerSpec s in pf.Secondaries ?? [])
        {
            if (s.VfNumber < 1 || s.VfNumber > pf.NumVfs)
            {
                return $"secondary vfNumber {s.VfNumber} is outside 1..numVfs ({pf.NumVfs})";
            }

            if (s.Driver is not null && !DriverName.IsValid(s.Driver))
            {
                return $"VF {s.VfNumber}: '{s.Driver}' is not a PCI driver name";
            }

            if (s.Role != SecondaryRole.Pool && string.IsNullOrEmpty(s.OwnerUid))
            {
                return $"VF {s.VfNumber}: role {s.Role} needs an ownerUid";
            }

            if (s.Queues is int q)
            {
                queues.Add(q);
            }

            if (s.Interrupts is int i)
            {
                interrupts.Add(i);
            }

            if (!secondaries.TryAdd(s.VfNumber, new DesiredSecondary(s.VfNumber, s.Driver, s.Role, s.Role == SecondaryRole.Pool ? null : s.OwnerUid)))
            {
                return $"VF {s.VfNumber} is listed twice";
            }
        }

        // EnableSriovStep gives every VF of a PF the same NVQ/NVI; refuse a spec it would silently flatten.
        if (queues.Count > 1 || interrupts.Count > 1)
        {
            return $"secondaries ask for different resources (queues {string.Join("/", queues.Order())}, interrupts {string.Join("/", interrupts.Order())}); every VF of a PF gets the same NVQ and NVI";
        }

        int nvq = queues.Count == 1 ? queues.Single() : DefaultQueues;
        int nvi = interrupts.Count == 1 ? interrupts.Single() : DefaultInterrupts;
        if (nvq < 2)
        {
            return $"queues {nvq} is below 2 (one admin and one I/O queue)";
        }

        desired = new DesiredPf(address, pf.NumVfs, nvq, nvi, secondaries);
        return null;
    }
}
