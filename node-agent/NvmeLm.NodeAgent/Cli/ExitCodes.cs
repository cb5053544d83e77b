namespace NvmeLm.NodeAgent.Cli;

/// <summary>Process exit codes of <c>nvme-lm-agent</c>; 0 only on success.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A host or controller operation failed (errno, NVMe status, unreadable journal, …).</summary>
    public const int Failure = 1;
    /// <summary>The command line or its input is invalid (bad option, malformed address, missing file); nothing was touched.</summary>
    public const int Usage = 2;
    /// <summary>The agent refused for safety or capability reasons (not selected, in use, missing HMLMS, owned by another); nothing was touched.</summary>
    public const int Refused = 3;
}
