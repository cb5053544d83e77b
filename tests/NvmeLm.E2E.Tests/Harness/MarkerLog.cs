using System.Globalization;
using System.Text.RegularExpressions;

namespace NvmeLm.E2E.Tests.Harness;

/// <summary>
/// Parses the marker protocol of tests/e2e/guest/markers.sh out of a serial log: result lines, timing
/// lines and named blocks (<c>E2E-BEGIN name=X</c> … <c>E2E-END name=X</c>). Everything else on the
/// console (kernel, SeaBIOS escape sequences) is ignored.
/// </summary>
public sealed partial class MarkerLog
{
    private readonly List<MarkerResult> _results = [];
    private readonly Dictionary<string, long> _timingsMs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _blocks = new(StringComparer.Ordinal);
    private readonly List<string> _lines = [];

    public IReadOnlyList<MarkerResult> Results => _results;

    public IReadOnlyDictionary<string, long> TimingsMs => _timingsMs;

    public IReadOnlyDictionary<string, string> Blocks => _blocks;

    /// <summary>True when this exact marker line (e.g. <c>E2E-DONE</c>) was printed.</summary>
    public bool Contains(string markerLine) => _lines.Contains(markerLine);

    public static MarkerLog Parse(string text)
    {
        var log = new MarkerLog();
        string? openBlock = null;
        var blockLines = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            // The serial console adds CRs and may prefix a line with terminal escape sequences.
            var line = EscapeSequence().Replace(raw.TrimEnd('\r'), string.Empty);
            var markerAt = line.IndexOf("E2E-", StringComparison.Ordinal);
            var marker = markerAt >= 0 ? line[markerAt..] : string.Empty;
            if (openBlock is not null)
            {
                if (marker == $"E2E-END name={openBlock}")
                {
                    log._blocks[openBlock] = string.Join('\n', blockLines).Trim();
                    openBlock = null;
                    blockLines.Clear();
                }
                else
                {
                    blockLines.Add(line);
                }

                continue;
            }

            if (marker.Length == 0)
            {
                continue;
            }

            log._lines.Add(marker);
            if (ResultLine().Match(marker) is { Success: true } r)
            {
                log._results.Add(new MarkerResult(r.Groups["name"].Value, r.Groups["status"].Value == "pass", r.Groups["detail"].Value));
            }
            else if (TimingLine().Match(marker) is { Success: true } t)
            {
                log._timingsMs[t.Groups["name"].Value] = long.Parse(t.Groups["ms"].Value, CultureInfo.InvariantCulture);
            }
            else if (BeginLine().Match(marker) is { Success: true } b)
            {
                openBlock = b.Groups["name"].Value;
            }
        }

        return log;
    }

    /// <summary>The result with this name (the last one if a step printed it twice), or null if it never ran.</summary>
    public MarkerResult? Find(string name) => _results.LastOrDefault(r => r.Name == name);

    public IEnumerable<MarkerResult> StartingWith(string prefix) => _results.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal));

    [GeneratedRegex(@"^E2E-RESULT name=(?<name>\S+) status=(?<status>pass|fail) detail=(?<detail>.*)$")]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"^E2E-TIMING name=(?<name>\S+) ms=(?<ms>\d+)$")]
    private static partial Regex TimingLine();

    [GeneratedRegex(@"^E2E-BEGIN name=(?<name>\S+)$")]
    private static partial Regex BeginLine();

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1bc")]
    private static partial Regex EscapeSequence();
}
