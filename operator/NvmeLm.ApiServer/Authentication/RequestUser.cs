namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// The authenticated user of the request being served, for the admission policy that runs deep in the write
/// path (kube-apiserver carries it in the request context the same way). Set by the HTTP handler only when
/// admission policies are on; null for the server's own controllers (garbage collection, namespace cleanup),
/// whose writes admission does not see.
/// </summary>
public static class RequestUser
{
    private static readonly AsyncLocal<UserInfo?> s_current = new();

    public static UserInfo? Current => s_current.Value;

    /// <summary>Makes <paramref name="user"/> current until the returned scope is disposed.</summary>
    public static Scope Enter(UserInfo user)
    {
        var previous = s_current.Value;
        s_current.Value = user;
        return new Scope(previous, entered: true);
    }

    /// <summary>Restores the previous user; the default scope (nothing entered) does nothing, and costs nothing.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly UserInfo? _previous;
        private readonly bool _entered;

        internal Scope(UserInfo? previous, bool entered)
        {
            _previous = previous;
            _entered = entered;
        }

        public void Dispose()
        {
            if (_entered)
            {
                s_current.Value = _previous;
            }
        }
    }
}
