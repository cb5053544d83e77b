using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme.Structures;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Seed step 3, shared by allow-migrate and allow-resume (DESIGN §4): the primary advertises host-managed live
/// migration (OACS bit 11), the secondary is online, and it is recorded in the journal with its role and locked to
/// the caller. There is no host write: on NVMe "allowing" is the agent's own reservation (reference Quick answers 2).
/// </summary>
internal static class SecondaryLock
{
    public static StepResult Allow(StepContext context, string step, PciAddress pf, int scid, VfRole role, string purpose, bool plannedOnline, Action<Nvme.NvmeAdminClient>? extraCheck = null)
    {
        context.Policy.EnsureSelected(pf);
        ushort id = ValidateScid(scid);
        PfSnapshot snapshot = PfReader.Read(context.Sysfs, pf);
        string device = context.PrimaryDevicePath(pf);
        var client = context.Primary(pf);
        IdentifyController primary = client.IdentifyController();
        Capabilities.RequireHostManagedLiveMigration(pf, device, primary, $"secondary controller SCID {scid} cannot be allowed to {purpose}");
        SecondaryListResult list = ListSecondariesStep.Map(snapshot, client.ListSecondaryControllers());
        SecondaryMapping secondary = list.Find(id)
            ?? throw new HardwareRefusedException(RefusalReason.InvalidInput, $"PF {pf} has no secondary controller SCID {scid} associated with a VF");
        // In a dry run of a whole prepare flow, enable-sriov's plan brings it online first.
        if (!secondary.Online && !(context.DryRun && plannedOnline))
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"secondary controller SCID {scid} of PF {pf} ({device}) is offline; enable SR-IOV (resources + online) before allowing it to {purpose}");
        }

        extraCheck?.Invoke(client);
        PfJournalRecord record = context.RecordOf(pf);
        VfJournalEntry? entry = record.FindVf(id);
        if (entry?.Owner is string owner && owner != context.Owner)
        {
            throw new HardwareRefusedException(RefusalReason.OwnedByOther,
                $"secondary controller SCID {scid} of PF {pf} is locked to '{owner}'; refusing to allow it for '{context.Owner}'");
        }

        if (entry is not null && entry.Owner is not null && entry.Role != VfRole.None && entry.Role != role)
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"secondary controller SCID {scid} of PF {pf} is already reserved as {entry.Role}; release it before reserving it as {role}");
        }

        var notes = new List<string>();
        if (entry is not null && entry.Owner == context.Owner && entry.Role == role)
        {
            notes.Add($"SCID {scid} ({secondary.VfAddress}) already allowed as {role} for '{context.Owner}'");
            return new StepResult(step, pf, context.DryRun, [], notes);
        }

        notes.Add($"SCID {scid} ({secondary.VfAddress}) {(context.DryRun ? "would be" : "is")} recorded as {role} and locked to '{context.Owner}'");
        context.UpdateJournal(pf, r => r.WithVf(id, v => v with
        {
            Vfn = secondary.Vfn,
            Address = secondary.VfAddress.ToString(),
            Owner = context.Owner,
            Role = role,
            Progress = v.Progress > VfProgress.Allowed ? v.Progress : VfProgress.Allowed,
        }));
        return new StepResult(step, pf, context.DryRun, [], notes);
    }

    public static ushort ValidateScid(int scid) =>
        scid is > 0 and <= ushort.MaxValue
            ? (ushort)scid
            : throw new HardwareRefusedException(RefusalReason.InvalidInput, $"SCID must be between 1 and 65535, got {scid}");

    /// <summary>Refuses unless <paramref name="scid"/> is locked to the caller (allow-migrate/allow-resume ran first).</summary>
    public static VfJournalEntry RequireLocked(StepContext context, PciAddress pf, int scid, string step)
    {
        VfJournalEntry? entry = context.RecordOf(pf).FindVf(scid);
        if (entry?.Owner is null)
        {
            throw new HardwareRefusedException(RefusalReason.WrongState,
                $"secondary controller SCID {scid} of PF {pf} is not allowed to migrate or resume (run allow-migrate / allow-resume first); refusing {step}");
        }

        if (entry.Owner != context.Owner)
        {
            throw new HardwareRefusedException(RefusalReason.OwnedByOther,
                $"secondary controller SCID {scid} of PF {pf} is locked to '{entry.Owner}'; refusing {step} for '{context.Owner}'");
        }

        return entry;
    }
}
