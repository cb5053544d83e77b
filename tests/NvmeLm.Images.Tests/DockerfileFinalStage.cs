using System.Text.Json;
using System.Text.RegularExpressions;

namespace NvmeLm.Images.Tests;

/// <summary>
/// The final stage (<c>FROM scratch</c>) of one of build/*.Dockerfile, read as far as image config goes: USER,
/// ENTRYPOINT, WORKDIR, EXPOSE, ENV, LABEL, the ARG defaults, and the files COPY puts under /app.
/// </summary>
internal sealed partial class DockerfileFinalStage
{
    private DockerfileFinalStage(List<(string Instruction, string Value)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Instruction, string Value)> Instructions { get; }

    public string User => Single("USER");

    public IReadOnlyList<string> Entrypoint => JsonSerializer.Deserialize<string[]>(Single("ENTRYPOINT"))!;

    public string WorkingDir => Single("WORKDIR");

    public IReadOnlyList<string> ExposedPorts => [.. All("EXPOSE").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Order()];

    public IReadOnlyList<string> Env => [.. All("ENV").Select(v => v.Replace(' ', '='))];

    public IReadOnlyDictionary<string, string> ArgDefaults =>
        All("ARG").Select(v => v.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);

    public IReadOnlyDictionary<string, string> Labels =>
        All("LABEL").SelectMany(v => LabelPair().Matches(v)).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>Image paths COPY writes under /app.</summary>
    public IReadOnlyList<string> AppFiles => [.. All("COPY").Select(v => v.Split(' ').Last()).Where(p => p.StartsWith("/app/", StringComparison.Ordinal)).Order()];

    public static DockerfileFinalStage Read(string path)
    {
        // Join continuation lines, drop comments, keep what follows the last FROM.
        var logical = new List<string>();
        var current = "";
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            current += line.EndsWith('\\') ? line[..^1] + " " : line;
            if (!line.EndsWith('\\'))
            {
                logical.Add(current);
                current = "";
            }
        }

        int stage = logical.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        Assert.True(stage >= 0 && logical[stage] == "FROM scratch", $"{path}: the final stage must be FROM scratch");
        return new DockerfileFinalStage([.. logical.Skip(stage + 1).Select(l => (l.Split(' ', 2)[0], l.Split(' ', 2)[1].Trim()))]);
    }

    private IEnumerable<string> All(string instruction) => Instructions.Where(i => i.Instruction == instruction).Select(i => i.Value);

    private string Single(string instruction) => Assert.Single(All(instruction));

    [GeneratedRegex("""([a-z0-9.\-]+)="([^"]*)"\s*""")]
    private static partial Regex LabelPair();
}
