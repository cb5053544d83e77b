using Microsoft.Extensions.Time.Testing;
using NvmeLm.Kube.Leadership;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests.Integration;

/// <summary>
/// Drives leader electors on a <see cref="FakeTimeProvider"/>, one attempt at a time: a step moves the clock past every
/// elector's scheduled next attempt and waits until each has finished it (<see cref="LeaderElector.Attempts"/>). So a
/// test can say "after N attempts spanning this much time nobody took over" with no sleep and no race.
/// </summary>
internal sealed class ElectionClock
{
    private readonly TimeSpan _minimumStep;

    /// <param name="retryPeriod">The electors' retry period; a step advances at least that plus its 20 % jitter.</param>
    public ElectionClock(TimeSpan retryPeriod, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        _minimumStep = (retryPeriod * 1.2) + TimeSpan.FromMilliseconds(1);
    }

    public FakeTimeProvider Time { get; }

    /// <summary>What one default step advances the clock by.</summary>
    public TimeSpan Step => _minimumStep;

    /// <summary>Waits until each elector has finished its first attempt (made at once when it starts running).</summary>
    public Task StartedAsync(params LeaderElector[] electors) =>
        Eventually.TrueAsync(() => electors.All(e => e.Attempts >= 1), "the electors' first attempts");

    /// <summary>One more attempt of each of <paramref name="electors"/>, after advancing the clock by at least one retry period.</summary>
    public async Task StepAsync(LeaderElector[] electors, TimeSpan? by = null)
    {
        long[] before = electors.Select(e => e.Attempts).ToArray();
        Time.Advance(by is { } step && step > _minimumStep ? step : _minimumStep);
        await Eventually.TrueAsync(() => electors.Select((e, i) => e.Attempts > before[i]).All(done => done), "one more attempt of each elector");
    }

    /// <summary>Steps until <paramref name="condition"/> holds, at most <paramref name="maxSteps"/> times; returns the fake time it took.</summary>
    public async Task<TimeSpan> StepUntilAsync(LeaderElector[] electors, Func<bool> condition, string what, int maxSteps, TimeSpan? by = null)
    {
        DateTimeOffset start = Time.GetUtcNow();
        for (int i = 0; i < maxSteps && !condition(); i++)
        {
            await StepAsync(electors, by);
        }

        Assert.True(condition(), $"not within {maxSteps} attempts: {what}");
        return Time.GetUtcNow() - start;
    }
}
