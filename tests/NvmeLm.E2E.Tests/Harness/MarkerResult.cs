namespace NvmeLm.E2E.Tests.Harness;

/// <summary>One <c>E2E-RESULT name=… status=pass|fail detail=…</c> line from the guest or the host script.</summary>
public sealed record MarkerResult(string Name, bool Passed, string Detail)
{
    public override string ToString() => $"{Name}: {(Passed ? "pass" : "FAIL")} — {Detail}";
}
