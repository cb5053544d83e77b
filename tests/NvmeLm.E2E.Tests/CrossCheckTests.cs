using NvmeLm.E2E.Tests.CrossCheck;
using NvmeLm.E2E.Tests.Harness;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The agent's <c>inventory --json</c> against nvme-cli and sysfs in the same guest, at boot (no VFs) and
/// after prepare-source (3 VFs online and bound): every field both report must agree.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class CrossCheckTests(E2ERunFixture fixture, ITestOutputHelper output)
{
    private readonly E2ERun _run = fixture.Run;

    [Theory]
    [InlineData("xcheck.boot")]
    [InlineData("xcheck.prepared")]
    public void AgentInventory_Should_AgreeWithNvmeCliAndSysfs(string moment)
    {
        var comparison = InventoryCrossCheck.Compare(
            Block(moment + ".agent-inventory"),
            Block(moment + ".id-ctrl"),
            Block(moment + ".primary-ctrl-caps"),
            Block(moment + ".list-secondary"),
            SysfsFacts.Parse(Block(moment + ".sysfs")));

        output.WriteLine($"{moment}: {comparison}\n  compared: {string.Join(", ", comparison.Compared)}");
        if (comparison.Mismatches.Count > 0)
        {
            throw new XunitException($"{moment}: {comparison}{_run.Diagnostics(20)}");
        }
    }

    private string Block(string name) =>
        _run.Markers.Blocks.TryGetValue(name, out var text) && text.Length > 0
            ? text
            : throw new XunitException($"block '{name}' was not printed or is empty (the step did not run){_run.Diagnostics()}");
}
