namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>Polls a condition that controllers make true; the timeout only bounds the wait, it asserts no timing.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, string what, int timeoutMs = 30_000)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"timed out waiting for: {what}; last value: {(last is null ? "null" : k8s.KubernetesJson.Serialize(last))}");
        return null!;
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"timed out waiting for: {what}");
    }
}
