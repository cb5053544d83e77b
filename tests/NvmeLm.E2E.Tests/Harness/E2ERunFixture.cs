namespace NvmeLm.E2E.Tests.Harness;

/// <summary>Boots the guest once for every test in the <see cref="E2ECollection"/> (one boot is ~6-10 min on an idle machine).</summary>
public sealed class E2ERunFixture
{
    private readonly Lazy<E2ERun> _run = new(E2ERun.Execute, LazyThreadSafetyMode.ExecutionAndPublication);

    public E2ERun Run => _run.Value;
}
