using System.CommandLine;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.NodeAgent.Cli;

/// <summary>
/// Runs a command's body and turns every failure into exactly one line on stderr and an exit code
/// (<see cref="ExitCodes"/>); with <c>--verbose</c> the exception details follow that line.
/// </summary>
public static class CommandRunner
{
    public const string Program = "nvme-lm-agent";

    /// <summary>A hardware command: synchronous, since its steps are blocking sysfs writes and ioctls.</summary>
    public static int Run(ParseResult parse, GlobalOptions globals, Func<CliSession, int> body)
    {
        using var session = new CliSession(parse, globals);
        try
        {
            return body(session);
        }
        catch (Exception ex)
        {
            return Report(session, ex);
        }
    }

    /// <summary>A long-running command (<c>run</c>): <paramref name="cancellationToken"/> is System.CommandLine's, cancelled by SIGTERM or SIGINT.</summary>
    public static async Task<int> RunAsync(
        ParseResult parse, GlobalOptions globals, Func<CliSession, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        using var session = new CliSession(parse, globals);
        try
        {
            return await body(session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Report(session, ex);
        }
    }

    public static (int Code, string Prefix) Classify(Exception ex) => ex switch
    {
        UsageException => (ExitCodes.Usage, "error: "),
        HardwareRefusedException { Reason: RefusalReason.InvalidInput } => (ExitCodes.Usage, "error: "),
        HardwareRefusedException => (ExitCodes.Refused, "refused: "),
        NvmeLmException => (ExitCodes.Failure, "failed: "),
        IOException or UnauthorizedAccessException => (ExitCodes.Failure, "failed: "),
        _ => (ExitCodes.Failure, "internal error: "),
    };

    private static int Report(CliSession session, Exception ex)
    {
        var (code, prefix) = Classify(ex);
        session.Error.WriteLine($"{Program}: {prefix}{OneLine(ex.Message)}");
        if (session.Verbose)
        {
            session.Error.WriteLine(ex.ToString());
        }

        return code;
    }

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
