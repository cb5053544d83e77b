using Xunit.Sdk;

namespace NvmeLm.E2E.Tests.Harness;

/// <summary>Assertions on markers whose failure message carries the marker detail and the log tails.</summary>
public static class E2EAssert
{
    /// <summary>The guest ran to the end; otherwise every other verdict would be incomplete.</summary>
    public static void Finished(E2ERun run)
    {
        if (!run.Markers.Contains("E2E-DONE"))
        {
            throw new XunitException($"the guest did not finish (no E2E-DONE marker); failed markers: {FailedSummary(run)}{run.Diagnostics()}");
        }
    }

    /// <summary>The named marker exists and passed.</summary>
    public static void Passed(E2ERun run, string name)
    {
        var result = run.Markers.Find(name);
        if (result is null)
        {
            throw new XunitException($"marker '{name}' was never printed (the step did not run){run.Diagnostics()}");
        }

        if (!result.Passed)
        {
            throw new XunitException($"marker '{name}' failed: {result.Detail}{run.Diagnostics()}");
        }
    }

    /// <summary>Every marker with this prefix passed, and there is at least one.</summary>
    public static void AllPassed(E2ERun run, string prefix)
    {
        var results = run.Markers.StartingWith(prefix).ToList();
        if (results.Count == 0)
        {
            throw new XunitException($"no marker starting with '{prefix}' was printed (the step did not run){run.Diagnostics()}");
        }

        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count > 0)
        {
            throw new XunitException($"{failed.Count} of {results.Count} '{prefix}' markers failed:\n  {string.Join("\n  ", failed)}{run.Diagnostics()}");
        }
    }

    private static string FailedSummary(E2ERun run)
    {
        var failed = run.Markers.Results.Where(r => !r.Passed).ToList();
        return failed.Count == 0 ? "none" : "\n  " + string.Join("\n  ", failed);
    }
}
