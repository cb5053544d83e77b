namespace NvmeLm.TestSupport;

/// <summary>What an external command did: its exit code and everything it printed.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Throws with the command, exit code and output when the command did not exit 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        return ExitCode == 0
            ? this
            : throw new InvalidOperationException(
                $"'{Command}' exited {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }
}
