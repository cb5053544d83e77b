using System.Collections.Concurrent;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// Turns a request's bearer token into a <see cref="UserInfo"/>. Tokens issued by TokenRequest
/// (<see cref="IssuedTokens"/>) come first. Then, with no static token list configured, any other token is
/// accepted as the name of its identity and a request without one is <c>system:anonymous</c> (what the demo
/// and most tests rely on); with a list, only its tokens are accepted and anything else is 401, as from
/// kube-apiserver. A named identity is in <c>system:authenticated</c>, in the groups configured for its name
/// (the default admin identity is in <c>system:masters</c>), and — when the name is a service account's
/// (<c>system:serviceaccount:ns:name</c>) — in that service account's groups, as its kube token would put it.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>Named identities kept built; beyond this the cache starts over (any token is a name in the default mode).</summary>
    private const int MaxCachedIdentities = 10_000;

    private readonly IssuedTokens _issued;
    private readonly IReadOnlyDictionary<string, string>? _staticTokens;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _identityGroups;
    private readonly ConcurrentDictionary<string, UserInfo> _named = new(StringComparer.Ordinal);

    public TokenAuthenticator(IssuedTokens issued, IReadOnlyDictionary<string, string>? staticTokens, IReadOnlyDictionary<string, IReadOnlyList<string>> identityGroups)
    {
        _issued = issued;
        _staticTokens = staticTokens;
        _identityGroups = identityGroups;
    }

    /// <summary>Authenticates the value of an <c>Authorization</c> header (null when absent); a refused token throws 401.</summary>
    public UserInfo Authenticate(string? authorization)
    {
        string? token = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization[7..].Trim()
            : null;
        if (!string.IsNullOrEmpty(token) && _issued.TryAuthenticate(token, out var issuedUser))
        {
            return issuedUser ?? throw Unauthorized();
        }
        if (_staticTokens is null)
        {
            return string.IsNullOrEmpty(token) ? UserInfo.Anonymous : Named(token);
        }
        if (token is not null && _staticTokens.TryGetValue(token, out var name))
        {
            return Named(name);
        }
        throw Unauthorized();
    }

    /// <summary>The user a named identity authenticates as (its groups as described on the class).</summary>
    public UserInfo Named(string name)
    {
        if (_named.TryGetValue(name, out var user))
        {
            return user;
        }
        if (_named.Count >= MaxCachedIdentities)
        {
            _named.Clear();
        }
        return _named.GetOrAdd(name, Build);
    }

    private UserInfo Build(string name)
    {
        var groups = new List<string>();
        if (ServiceAccountIdentity.TryParse(name, out string namespaceName, out _))
        {
            groups.AddRange(ServiceAccountIdentity.Groups(namespaceName));
        }
        if (_identityGroups.TryGetValue(name, out var configured))
        {
            groups.AddRange(configured);
        }
        groups.Add(SystemUsers.AuthenticatedGroup);
        return new UserInfo(name, "", groups.Distinct(StringComparer.Ordinal).ToList(), UserInfo.NoExtra);
    }

    private static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
