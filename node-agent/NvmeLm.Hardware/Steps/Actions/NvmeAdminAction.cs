using System.Globalization;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Commands;

namespace NvmeLm.Hardware.Steps.Actions;

/// <summary>
/// One NVMe admin operation on the PF's primary controller (reference §3, §4a): the exact submission
/// entries it sends (several for a chunked Set Controller State) and the typed client call that sends them.
/// </summary>
public sealed record NvmeAdminAction : HostAction
{
    private readonly Action<NvmeAdminClient> _run;

    public NvmeAdminAction(PciAddress pf, string device, string command, IReadOnlyList<NvmeCommandView> submissions, Action<NvmeAdminClient> run, bool changesHost = true)
    {
        Pf = pf;
        Device = device;
        Command = command;
        Submissions = submissions;
        ChangesHost = changesHost;
        _run = run;
    }

    public override PciAddress Pf { get; }

    /// <summary>The controller device the command goes to, e.g. <c>/dev/nvme0</c>.</summary>
    public string Device { get; }

    public string Command { get; }

    public IReadOnlyList<NvmeCommandView> Submissions { get; }

    /// <summary>False for reads (Get Controller State): they are not journalled as host changes.</summary>
    public bool ChangesHost { get; }

    public override string Describe()
    {
        if (Submissions.Count == 1)
        {
            NvmeCommandView only = Submissions[0];
            return string.Create(CultureInfo.InvariantCulture,
                $"nvme admin {Device}: {Command} opcode=0x{only.Opcode:x2} cdw10=0x{only.Cdw10:x8} cdw11=0x{only.Cdw11:x8}{Tail(only)}");
        }

        NvmeCommandView first = Submissions[0];
        return string.Create(CultureInfo.InvariantCulture,
            $"nvme admin {Device}: {Command} in {Submissions.Count} commands, opcode=0x{first.Opcode:x2} first cdw10=0x{first.Cdw10:x8} cdw11=0x{first.Cdw11:x8} (each command is listed in --json)");
    }

    public override HostActionView ToView() => new()
    {
        Kind = HostActionView.NvmeAdminKind,
        Description = Describe(),
        Device = Device,
        Command = Command,
        Commands = Submissions,
    };

    internal override void Apply(StepContext context) => _run(context.Primary(Pf));

    public static NvmeCommandView View(string name, NvmeSubmissionEntry entry, int dataLength) =>
        new(name, entry.Opcode, entry.Nsid, entry.Cdw10, entry.Cdw11, entry.Cdw12, entry.Cdw13, entry.Cdw14, entry.Cdw15, dataLength);

    private static string Tail(NvmeCommandView c) =>
        c.Cdw12 == 0 && c.Cdw13 == 0 && c.Cdw14 == 0 && c.Cdw15 == 0 && c.DataLength == 0
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" cdw12=0x{c.Cdw12:x8} cdw13=0x{c.Cdw13:x8} cdw14=0x{c.Cdw14:x8} cdw15=0x{c.Cdw15:x8} data={c.DataLength}B");
}
