namespace NvmeLm.NodeAgent.Cli;

/// <summary>The command line or a file it names is unusable; reported as one line with exit code 2, nothing touched.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
