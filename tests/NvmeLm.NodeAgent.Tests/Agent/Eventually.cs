namespace NvmeLm.NodeAgent.Tests.Agent;

/// <summary>Polls a condition that the agent's background loop makes true; fails with <paramref name="what"/> on timeout.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T value = await read();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(25);
            value = await read();
        }

        return value;
    }
}
