using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Tests.Unit;

/// <summary>The per-node limit on migrations inside their critical section (DESIGN §4.1).</summary>
public sealed class CriticalSectionGateTests
{
    private static V1Alpha1NvmeMigration Migration(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
    };

    [Fact]
    public void TryEnter_Should_AdmitUpToTheLimitPerNode_AsSourceOrDestination()
    {
        var gate = new CriticalSectionGate(perNode: 2, cache: null);

        Assert.True(gate.TryEnter(Migration("a"), "n1", "n2"));
        Assert.True(gate.TryEnter(Migration("b"), "n3", "n1"));
        // n1 holds two already (a as source, b as destination): a third waits, whichever side n1 is on.
        Assert.False(gate.TryEnter(Migration("c"), "n1", "n4"));
        Assert.False(gate.TryEnter(Migration("d"), "n5", "n1"));
        // Other nodes are not limited by n1.
        Assert.True(gate.TryEnter(Migration("e"), "n2", "n3"));
    }

    [Fact]
    public void TryEnter_Should_AdmitTheSameMigrationAgain_WithoutCountingItTwice()
    {
        var gate = new CriticalSectionGate(perNode: 1, cache: null);
        var a = Migration("a");

        Assert.True(gate.TryEnter(a, "n1", "n2"));
        Assert.True(gate.TryEnter(a, "n1", "n2"));
        Assert.False(gate.TryEnter(Migration("b"), "n2", "n3"));
    }

    [Fact]
    public void Leave_Should_FreeTheSlotAndWakeEveryWaitingMigration()
    {
        var gate = new CriticalSectionGate(perNode: 1, cache: null);
        var woken = new List<NamespacedName>();
        gate.Wake = woken.Add;
        var a = Migration("a");
        var b = Migration("b");
        var c = Migration("c");
        Assert.True(gate.TryEnter(a, "n1", "n2"));
        Assert.False(gate.TryEnter(b, "n1", "n3"));
        Assert.False(gate.TryEnter(c, "n4", "n2"));

        gate.Leave(a.Metadata.Uid!);

        Assert.Equal([NamespacedName.Of(b), NamespacedName.Of(c)], woken.OrderBy(k => k.Name));
        Assert.True(gate.TryEnter(b, "n1", "n3"));
        Assert.True(gate.TryEnter(c, "n4", "n2"));
    }

    [Fact]
    public void Constructor_Should_Refuse_When_TheLimitIsBelowOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CriticalSectionGate(perNode: 0, cache: null));

    [Theory]
    [InlineData(MigrationPhase.Suspending, 2)]
    [InlineData(MigrationPhase.TransferringState, 2)]
    [InlineData(MigrationPhase.Resuming, 2)]
    [InlineData(MigrationPhase.RollingBack, 1)]
    [InlineData(MigrationPhase.Ready, 1)]
    [InlineData(MigrationPhase.PreparingDestination, 0)]
    [InlineData(MigrationPhase.Completing, 0)]
    public void PriorityOf_Should_PutAStoppedDeviceFirst(MigrationPhase phase, int priority)
    {
        var migration = Migration("m");
        migration.Status = new V1Alpha1NvmeMigration.EntityStatus { Phase = phase };

        Assert.Equal(priority, MigrationReconciler.PriorityOf(migration));
    }
}
