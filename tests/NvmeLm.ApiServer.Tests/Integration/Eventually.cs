namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Polls a condition that background controllers make true (not a timing assertion: it only bounds the wait).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"timed out waiting for: {what}");
    }
}
