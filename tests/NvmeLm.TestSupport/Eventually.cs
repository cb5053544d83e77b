using System.Text.Json;

namespace NvmeLm.TestSupport;

/// <summary>
/// Waits for a condition that something in the background (a controller, an agent, a watch) makes true, by polling
/// it. The timeout only bounds the wait so a broken test fails with <c>what</c> instead of hanging: it asserts no
/// timing, and a test must never use it (or a sleep) to conclude that something did not happen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        await MatchAsync(condition, done => done, what, timeout);

    /// <summary>Reads until <paramref name="condition"/> holds for what was read; returns that value. The failure shows the last value.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for: {what}; last value: {Describe(value)}");
            }

            await Task.Delay(s_pollInterval);
            value = await read();
        }

        return value;
    }

    /// <summary>Like <see cref="MatchAsync{T}"/> for a read that returns null while the thing does not exist yet.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
        where T : class =>
        (await MatchAsync(read, value => value is not null && condition(value), what, timeout))!;

    private static string Describe<T>(T value)
    {
        if (value is null or bool)
        {
            return value?.ToString() ?? "null";
        }

        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return value.ToString() ?? "";
        }
    }
}
