using System.Collections.Concurrent;
using System.Security.Cryptography;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// The server-side registry of service-account tokens issued by TokenRequest: an opaque random bearer token
/// maps to the user it authenticates as. Like kube-apiserver's service-account authenticator, a token stops
/// authenticating when it expires, when its audiences do not include the API server's, or when an object it is
/// bound to (its service account, its pod) is gone or was recreated with another uid.
/// </summary>
public sealed class IssuedTokens
{
    /// <summary>The API server's audience (kube-apiserver's default <c>--api-audiences</c> is its issuer, this URL).</summary>
    public const string ApiAudience = "https://kubernetes.default.svc.cluster.local";

    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;

    public IssuedTokens(ObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public int Count => _tokens.Count;

    /// <summary>Registers <paramref name="issued"/> and returns its new bearer token.</summary>
    public string Issue(IssuedToken issued)
    {
        string token = "nvmelm-sa." + Base64Url(RandomNumberGenerator.GetBytes(32));
        _tokens[token] = issued;
        return token;
    }

    /// <summary>
    /// Whether <paramref name="token"/> was issued here (so no other authenticator should try it), and if so the
    /// user it authenticates as now, or null when it no longer authenticates.
    /// </summary>
    public bool TryAuthenticate(string token, out UserInfo? user)
    {
        user = null;
        if (_tokens.IsEmpty || !_tokens.TryGetValue(token, out var issued))
        {
            return false;
        }
        if (_time.GetUtcNow() >= issued.Expires)
        {
            _tokens.TryRemove(token, out _);
            return true;
        }
        if (!issued.Audiences.Contains(ApiAudience) || !issued.BoundTo.All(StillExists))
        {
            return true;
        }
        user = issued.User;
        return true;
    }

    private bool StillExists(BoundObject bound) =>
        _store.Get(bound.Storage, bound.Name)?["metadata"]?["uid"]?.GetValue<string>() == bound.Uid;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
