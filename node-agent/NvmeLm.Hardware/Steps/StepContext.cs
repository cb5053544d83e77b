using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Journal;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Pci;
using NvmeLm.Hardware.Safety;
using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// What every step runs with: the host seams, the journal, the caller's selection and identity, and the
/// mode. In Plan mode (<see cref="DryRun"/>) <see cref="Execute"/> only collects actions; in Apply mode it
/// journals the intent, performs the write, then journals the outcome, so a crash between any two writes
/// leaves a journal that says which write was in flight.
/// </summary>
public sealed class StepContext : IDisposable
{
    private readonly Dictionary<PciAddress, (INvmeAdminDevice Device, NvmeAdminClient Client)> _primaries = [];
    private readonly TimeProvider _time;
    private readonly IDisposable _journalScope;

    public StepContext(HostHardware hardware, HostJournal journal, SafetyPolicy policy, string owner, bool dryRun = false, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        Hardware = hardware;
        // The same logger: with --verbose the individual sysfs writes and bind retries show under each step.
        Sysfs = new SriovSysfs(hardware.Files, logger);
        Journal = journal;
        Policy = policy;
        Owner = owner;
        DryRun = dryRun;
        Logger = logger ?? NullLogger.Instance;
        Guard = new SafetyGuard(hardware.Files, Sysfs);
        _time = time ?? TimeProvider.System;
        // The journal loads each record once for this context's lifetime (HostJournal.Scope).
        _journalScope = journal.Scope();
    }

    public HostHardware Hardware { get; }

    public SriovSysfs Sysfs { get; }

    public HostJournal Journal { get; }

    public SafetyPolicy Policy { get; }

    public SafetyGuard Guard { get; }

    /// <summary>Who the changes are made for; recorded in the journal and used for locks.</summary>
    public string Owner { get; }

    /// <summary>Plan mode: compute the exact host actions, change nothing (no host writes, no journal writes).</summary>
    public bool DryRun { get; }

    public ILogger Logger { get; }

    /// <summary>Test hook: runs after the intent is journalled and before the host write (throw to simulate a crash).</summary>
    public Action<HostAction>? BeforeHostWrite { get; init; }

    /// <summary>Test hook: runs after the host write and before the outcome is journalled.</summary>
    public Action<HostAction>? AfterHostWrite { get; init; }

    /// <summary>The primary controller's admin client for <paramref name="pf"/> (<c>/dev/nvmeN</c> of the PF), opened once.</summary>
    public NvmeAdminClient Primary(PciAddress pf)
    {
        if (_primaries.TryGetValue(pf, out var open))
        {
            return open.Client;
        }

        string path = PrimaryDevicePath(pf);
        INvmeAdminDevice device = Hardware.Nvme.Open(path);
        var client = new NvmeAdminClient(device);
        _primaries[pf] = (device, client);
        return client;
    }

    /// <summary>The PF's controller device, e.g. <c>/dev/nvme0</c>; refuses when the PF has no NVMe controller (not bound to <c>nvme</c>).</summary>
    public string PrimaryDevicePath(PciAddress pf) =>
        Sysfs.ReadControllerDevice(pf) ?? throw new HardwareRefusedException(RefusalReason.WrongState,
            $"PF {pf} has no NVMe controller device (is it bound to the nvme driver?); its admin queue is needed");

    /// <summary>The journal record of <paramref name="pf"/>, or a fresh one owned by <see cref="Owner"/>.</summary>
    public PfJournalRecord RecordOf(PciAddress pf) =>
        Journal.Read(pf) ?? new PfJournalRecord { Pf = pf.ToString(), Owner = Owner };

    /// <summary>
    /// Plan or perform one host write. <paramref name="onIntent"/> updates the record before the write (capture
    /// original values there), <paramref name="onDone"/> after it succeeded.
    /// </summary>
    public void Execute(string step, HostAction action, List<HostAction> performed,
        Func<PfJournalRecord, PfJournalRecord>? onIntent = null, Func<PfJournalRecord, PfJournalRecord>? onDone = null) =>
        ExecuteAll(step, [new PlannedWrite(action, onIntent, onDone)], performed);

    /// <summary>
    /// Plan or perform host writes in order, each journalled as <see cref="Execute"/> does, except that the outcome of
    /// one write and the intent of the next on the same PF go to the journal in one durable write: the record it leaves
    /// is the one the two writes in a row would have left, and a crash between any two host writes still leaves the one
    /// in flight as the pending intent. A plan of n writes costs n + 1 journal writes instead of 2n (a VF's release
    /// and re-provisioning after each migration is 9 writes; every journal write is two fsyncs).
    /// </summary>
    public void ExecuteAll(string step, IReadOnlyList<PlannedWrite> plan, List<HostAction> performed)
    {
        PlannedWrite? outcomeDue = null;
        foreach (PlannedWrite write in plan)
        {
            HostAction action = write.Action;
            performed.Add(action);
            if (DryRun)
            {
                continue;
            }

            bool journalled = action is not NvmeAdminAction { ChangesHost: false };
            if (outcomeDue is not null && (!journalled || outcomeDue.Action.Pf != action.Pf))
            {
                Journal.Write(Outcome(outcomeDue, RecordOf(outcomeDue.Action.Pf)));
                outcomeDue = null;
            }

            if (journalled)
            {
                PfJournalRecord record = RecordOf(action.Pf);
                if (outcomeDue is not null)
                {
                    record = Outcome(outcomeDue, record);
                    outcomeDue = null;
                }

                record = write.OnIntent?.Invoke(record) ?? record;
                Journal.Write(record with { Pending = new JournalIntent(step, action.Describe(), _time.GetUtcNow()) });
            }

            BeforeHostWrite?.Invoke(action);
            try
            {
                action.Apply(this);
            }
            catch (Exception ex) when (journalled && IsDefiniteFailure(ex))
            {
                // The kernel or the controller refused the write, so it did not take effect: say so.
                Journal.Write(RecordOf(action.Pf) with { Pending = null, LastFailure = $"{step}: {action.Describe()}: {ex.Message}" });
                throw;
            }

            AfterHostWrite?.Invoke(action);
            if (action is not SysfsWriteAction)
            {
                // SriovSysfs logs its own writes (with retries and rollbacks); NVMe commands are logged here.
                HardwareLog.HostWrite(Logger, step, action.Describe());
            }

            if (journalled)
            {
                outcomeDue = write;
            }
        }

        if (outcomeDue is not null)
        {
            Journal.Write(Outcome(outcomeDue, RecordOf(outcomeDue.Action.Pf)));
        }
    }

    private static PfJournalRecord Outcome(PlannedWrite write, PfJournalRecord record) =>
        (write.OnDone?.Invoke(record) ?? record) with { Pending = null, LastFailure = null };

    /// <summary>A journal-only change (a lock, a role): not a host write, so nothing is written in Plan mode.</summary>
    public void UpdateJournal(PciAddress pf, Func<PfJournalRecord, PfJournalRecord> update)
    {
        if (!DryRun)
        {
            Journal.Write(update(RecordOf(pf)));
        }
    }

    public void Dispose()
    {
        foreach (var (device, _) in _primaries.Values)
        {
            device.Dispose();
        }

        _primaries.Clear();
        _journalScope.Dispose();
    }

    // A timeout leaves the outcome unknown (the write may still complete), so the intent stays pending.
    private static bool IsDefiniteFailure(Exception ex) =>
        ex is NvmeCommandException || ex is HostIoException { Errno: not Errnos.ETIMEDOUT } || ex is SysfsRuleException;
}
