namespace NvmeLm.E2E.Tests.CrossCheck;

/// <summary>The outcome of comparing one view of the agent with the kernel's/nvme-cli's: what was compared, what differed.</summary>
public sealed class FieldComparison
{
    private readonly List<string> _compared = [];
    private readonly List<string> _mismatches = [];

    public IReadOnlyList<string> Compared => _compared;

    public IReadOnlyList<string> Mismatches => _mismatches;

    public void Equal(string field, string? agent, string? reference)
    {
        _compared.Add(field);
        if (!string.Equals(agent, reference, StringComparison.Ordinal))
        {
            _mismatches.Add($"{field}: agent={Show(agent)} kernel/nvme-cli={Show(reference)}");
        }
    }

    public void Problem(string message) => _mismatches.Add(message);

    public override string ToString() =>
        $"{_compared.Count} fields compared, {_mismatches.Count} mismatches" +
        (_mismatches.Count == 0 ? string.Empty : ":\n  " + string.Join("\n  ", _mismatches));

    private static string Show(string? value) => value is null ? "(absent)" : $"'{value}'";
}
