namespace NvmeLm.Hardware.Nvme;

/// <summary>
/// A controller completed an admin command with a non-zero NVMe status (a positive ioctl return,
/// reference §2). This is not a transport error: the command reached the controller, which refused it.
/// </summary>
public sealed class NvmeCommandException : NvmeLmException
{
    public NvmeCommandException(string devicePath, byte opcode, string commandName, NvmeStatus status, string? detail = null)
        : base(FormatMessage(devicePath, opcode, commandName, status, detail))
    {
        DevicePath = devicePath;
        Opcode = opcode;
        CommandName = commandName;
        Status = status;
    }

    /// <summary>The controller the command was sent to, e.g. <c>/dev/nvme0</c>.</summary>
    public string DevicePath { get; }
    public byte Opcode { get; }
    /// <summary>A readable name including the essential arguments, e.g. <c>Virtualization Management (Secondary Online, CNTLID 1)</c>.</summary>
    public string CommandName { get; }
    public NvmeStatus Status { get; }
    public byte StatusCodeType => Status.StatusCodeType;
    public byte StatusCode => Status.StatusCode;

    /// <summary>The named code, or null when this layer does not name the SCT/SC pair.</summary>
    public NvmeStatusCode? Code => Status.IsNamed ? Status.Code : null;

    private static string FormatMessage(string devicePath, byte opcode, string commandName, NvmeStatus status, string? detail)
    {
        string name = status.IsNamed ? Describe(status.Code) : "unnamed NVMe status";
        string message = $"{commandName} (opcode 0x{opcode:x2}) on {devicePath} failed: {name}, status {status}";
        return detail is null ? message : message + ". " + detail;
    }

    private static string Describe(NvmeStatusCode code) => code switch
    {
        NvmeStatusCode.InvalidSecondaryControllerState =>
            "Invalid Secondary Controller State (the secondary must have its VF enabled and flexible resources assigned before it can go online)",
        NvmeStatusCode.InvalidNumberOfControllerResources =>
            "Invalid Number of Controller Resources (more than the secondary maximum VQFRSM/VIFRSM, or more than are free)",
        NvmeStatusCode.ControllerSuspended => "Controller Suspended (the controller is suspended; resume it first)",
        NvmeStatusCode.ControllerNotSuspended => "Controller Not Suspended (suspend the controller first)",
        NvmeStatusCode.InvalidFieldInCommand => "Invalid Field in Command (the controller does not support this command variant)",
        NvmeStatusCode.InvalidCommandOpcode => "Invalid Command Opcode (the controller does not implement this command)",
        NvmeStatusCode.InvalidControllerIdentifier => "Invalid Controller Identifier",
        _ => code.ToString(),
    };
}
