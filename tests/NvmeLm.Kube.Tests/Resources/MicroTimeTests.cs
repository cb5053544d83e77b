using k8s;
using Microsoft.Extensions.Time.Testing;
using NvmeLm.Kube.Resources;

namespace NvmeLm.Kube.Tests.Resources;

public sealed class MicroTimeTests
{
    private sealed class Stamped
    {
        public DateTime? At { get; set; }
    }

    [Fact]
    public void Now_Should_KeepMicrosecondsAndDropTheRest_When_TheClockHasTicks()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 35, 0, TimeSpan.Zero).AddTicks(1_234_567));

        var now = MicroTime.Now(clock);

        Assert.Equal(DateTimeKind.Utc, now.Kind);
        Assert.Equal(1_234_560, now.Ticks % TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void Truncate_Should_RoundTripThroughKubernetesJsonUnchanged_When_Serialized()
    {
        var value = MicroTime.Truncate(new DateTimeOffset(2026, 12, 4, 9, 35, 0, 179, 45, TimeSpan.Zero).AddTicks(7));

        var json = KubernetesJson.Serialize(new Stamped { At = value });
        var back = KubernetesJson.Deserialize<Stamped>(json).At;

        Assert.Contains("09:35:00.179045Z", json, StringComparison.Ordinal);
        Assert.Equal(value, back);
    }

    [Fact]
    public void After_Should_NeverBeBeforeTheStart_When_ElapsedIsNegativeOrPositive()
    {
        var start = new DateTime(2026, 12, 4, 9, 35, 0, DateTimeKind.Utc);

        Assert.Equal(start, MicroTime.After(start, TimeSpan.FromMilliseconds(-5)));
        Assert.Equal(start.AddTicks(15_000), MicroTime.After(start, TimeSpan.FromTicks(15_009)));
    }
}
