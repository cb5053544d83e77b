using System.Diagnostics;
using NvmeLm.TestSupport;

namespace NvmeLm.E2E.Tests.Harness;

/// <summary>
/// One run of tests/e2e/run-e2e.sh: boots the QEMU guest and collects its markers. The verdict comes
/// only from the markers in serial.log and host.log, never from QEMU's or the script's exit code.
/// </summary>
public sealed class E2ERun
{
    // The script needs ~8-10 min on an idle 2-core machine (three cold publishes, the CLI phases, the run-mode
    // scenarios and the VM inside the guest) and several times that on a loaded one; the bound only stops a hung
    // QEMU from hanging the test run (the script also wraps QEMU in `timeout`).
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(60);

    private E2ERun(string runDirectory, int exitCode, string scriptOutput, string serialLog, MarkerLog markers)
    {
        RunDirectory = runDirectory;
        ExitCode = exitCode;
        ScriptOutput = scriptOutput;
        SerialLog = serialLog;
        Markers = markers;
    }

    public string RunDirectory { get; }

    public int ExitCode { get; }

    /// <summary>The script's stdout and stderr (progress, timing breakdown).</summary>
    public string ScriptOutput { get; }

    public string SerialLog { get; }

    /// <summary>Markers of host.log followed by those of serial.log.</summary>
    public MarkerLog Markers { get; }

    public static E2ERun Execute()
    {
        var repo = RepositoryPaths.Root;
        var runDirectory = Path.Combine(repo, ".build", "e2e", "runs", $"xunit-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(runDirectory);
        var start = new ProcessStartInfo("bash", [Path.Combine(repo, "tests", "e2e", "run-e2e.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repo,
        };
        start.Environment["E2E_RUN_DIR"] = runDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_scriptTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var output = stdout.Result + stderr.Result;
        var host = ReadIfExists(Path.Combine(runDirectory, "host.log"));
        var serial = ReadIfExists(Path.Combine(runDirectory, "serial.log"));
        return new E2ERun(runDirectory, process.HasExited ? process.ExitCode : -1, output, serial, MarkerLog.Parse(host + "\n" + serial));
    }

    /// <summary>A diagnosis for a failed assertion: the script's tail and the serial log's tail.</summary>
    public string Diagnostics(int serialLines = 60)
    {
        var serialTail = string.Join('\n', SerialLog.Split('\n').TakeLast(serialLines));
        var scriptTail = string.Join('\n', ScriptOutput.Split('\n').TakeLast(25));
        return $"\n--- run directory: {RunDirectory} (script exit {ExitCode})\n--- script output (tail):\n{scriptTail}\n--- serial log (last {serialLines} lines):\n{serialTail}";
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;
}
