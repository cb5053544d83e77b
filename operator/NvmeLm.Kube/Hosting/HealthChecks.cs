namespace NvmeLm.Kube.Hosting;

/// <summary>
/// Named readiness checks behind <c>/readyz</c> (for example "informer NvmeNode synced"). Thread-safe.
/// Leadership is deliberately not a readiness check: a standby operator replica is ready (it serves metrics
/// and keeps warm caches), it just does not reconcile.
/// </summary>
public sealed class HealthChecks
{
    private readonly object _lock = new();
    private readonly List<(string Name, Func<bool> IsReady)> _readiness = new();

    public void AddReadiness(string name, Func<bool> isReady)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(isReady);
        lock (_lock)
        {
            _readiness.Add((name, isReady));
        }
    }

    /// <summary>Names of the checks that are not ready now (empty: ready).</summary>
    public IReadOnlyList<string> NotReady()
    {
        lock (_lock)
        {
            return _readiness.Where(check => !SafeIsReady(check.IsReady)).Select(check => check.Name).ToList();
        }
    }

    private static bool SafeIsReady(Func<bool> isReady)
    {
        try
        {
            return isReady();
        }
        catch (Exception)
        {
            // A throwing check means "cannot tell": not ready.
            return false;
        }
    }
}
