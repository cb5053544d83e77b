namespace NvmeLm.Kube.Reconciliation;

/// <summary>
/// What a reconcile decided (controller-runtime <c>reconcile.Result</c> / KubeOps <c>ReconciliationResult</c>):
/// <see cref="Succeeded"/> (optionally look again after a delay, e.g. while waiting on an agent),
/// <see cref="Failed"/> (retried with capped back-off, never dropped), or <see cref="TerminalFailure"/>
/// (no retry: only a change to the object brings the key back).
/// </summary>
public abstract record ReconcileResult
{
    private ReconcileResult()
    {
    }

    public static ReconcileResult Success(TimeSpan? requeueAfter = null) => new Succeeded(requeueAfter);

    public static ReconcileResult Failure(string message, Exception? error = null) => new Failed(message, error);

    public static ReconcileResult Terminal(string message, Exception? error = null) => new TerminalFailure(message, error);

    /// <summary>Done for now; <paramref name="RequeueAfter"/> asks to be called again after that delay.</summary>
    public sealed record Succeeded(TimeSpan? RequeueAfter) : ReconcileResult;

    /// <summary>A retryable error.</summary>
    public sealed record Failed(string Message, Exception? Error) : ReconcileResult;

    /// <summary>An error that retrying cannot fix (bad input, an invariant broken).</summary>
    public sealed record TerminalFailure(string Message, Exception? Error) : ReconcileResult;
}
