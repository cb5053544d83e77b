using k8s.Models;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Kube.Tests.Resources;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Set_Should_AddCondition_When_TypeMissing()
    {
        var list = new List<V1Condition>();

        Assert.True(Conditions.Set(list, "Ready", Conditions.True, "Synced", "all good", 3, s_t0));

        var condition = Assert.Single(list);
        Assert.Equal(("Ready", "True", "Synced", "all good", 3L), (condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration!.Value));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), condition.LastTransitionTime);
    }

    [Fact]
    public void Set_Should_KeepTransitionTime_When_StatusUnchanged()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Synced", "first", 1, s_t0);

        var changed = Conditions.Set(list, "Ready", Conditions.True, "StillSynced", "second", 2, s_t0.AddMinutes(5));

        Assert.True(changed);
        var condition = Assert.Single(list);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), condition.LastTransitionTime);
        Assert.Equal(("StillSynced", "second", 2L), (condition.Reason, condition.Message, condition.ObservedGeneration!.Value));
    }

    [Fact]
    public void Set_Should_MoveTransitionTime_When_StatusChanges()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Synced", "ok", 1, s_t0);

        Conditions.Set(list, "Ready", Conditions.False, "Broken", "bad", 1, s_t0.AddMinutes(5));

        Assert.Equal(new DateTime(2026, 1, 2, 3, 9, 5, DateTimeKind.Utc), list[0].LastTransitionTime);
        Assert.True(Conditions.IsFalse(list, "Ready"));
    }

    [Fact]
    public void Set_Should_ReportNoChange_When_EverythingEqual()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Synced", "ok", 1, s_t0);

        Assert.False(Conditions.Set(list, "Ready", Conditions.True, "Synced", "ok", 1, s_t0.AddHours(1)));
    }

    [Fact]
    public void Set_Should_Throw_When_StatusIsNotAConditionStatus()
    {
        var list = new List<V1Condition>();

        Assert.Throws<ArgumentException>(() => Conditions.Set(list, "Ready", "yes", "Synced", null, null, s_t0));
        Assert.Empty(list);
    }

    [Fact]
    public void IsTrueFor_Should_RequireMatchingGeneration_When_ConditionTrue()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Synced", null, 4, s_t0);

        Assert.True(Conditions.IsTrueFor(list, "Ready", 4));
        Assert.False(Conditions.IsTrueFor(list, "Ready", 5));
        Assert.False(Conditions.IsTrue(list, "Degraded"));
    }

    [Fact]
    public void Remove_Should_DeleteCondition_When_Present()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Synced", null, 1, s_t0);

        Assert.True(Conditions.Remove(list, "Ready"));
        Assert.False(Conditions.Remove(list, "Ready"));
        Assert.Empty(list);
    }
}
