using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// What the request pipeline asks before serving a request (kube-apiserver's authentication and authorization
/// filters): who is asking, may they, and — for admission deeper down — remembering who asked. It also serves
/// the endpoints that belong to access control: TokenRequest and the access reviews. With authorization in
/// AlwaysAllow mode and admission policies off, authorizing and remembering cost nothing.
/// </summary>
public sealed class AccessControl
{
    private readonly TokenAuthenticator _authenticator;
    private readonly IAuthorizer? _authorizer;
    private readonly TokenRequestEndpoint _tokenRequests;
    private readonly AccessReviewEndpoint _reviews;
    private readonly bool _remembersUser;

    /// <param name="authorizer">Null: every request is allowed (AlwaysAllow).</param>
    /// <param name="remembersUser">Whether admission needs the user of the request (<see cref="RequestUser"/>).</param>
    public AccessControl(TokenAuthenticator authenticator, IAuthorizer? authorizer, TokenRequestEndpoint tokenRequests, bool remembersUser)
    {
        _authenticator = authenticator;
        _authorizer = authorizer;
        _tokenRequests = tokenRequests;
        _reviews = new AccessReviewEndpoint(authorizer ?? AlwaysAllowAuthorizer.Instance);
        _remembersUser = remembersUser;
    }

    /// <summary>The user the request's <c>Authorization</c> header names; a refused token throws 401.</summary>
    public UserInfo Authenticate(HttpRequest request) => _authenticator.Authenticate(request.Headers.Authorization);

    /// <summary>Throws kube's 403 when the authorizer does not allow <paramref name="request"/>.</summary>
    public void Authorize(UserInfo user, RequestAttributes request, string? fieldSelector)
    {
        if (_authorizer is null)
        {
            return;
        }
        var attributes = AuthorizationAttributes.For(user, request, fieldSelector);
        var decision = _authorizer.Authorize(attributes);
        if (!decision.Allowed)
        {
            throw Forbidden.For(attributes, decision.Reason);
        }
    }

    /// <summary>Makes <paramref name="user"/> the request's user for admission, while the returned scope lives.</summary>
    public RequestUser.Scope Remember(UserInfo user) => _remembersUser ? RequestUser.Enter(user) : default;

    /// <summary>Serves the request when it is one of access control's own endpoints; null otherwise.</summary>
    public Task<int>? TryServe(HttpContext context, ResourcePath path, UserInfo user)
    {
        if (TokenRequestEndpoint.Handles(path))
        {
            return _tokenRequests.ServeAsync(context, path);
        }
        return AccessReviewEndpoint.Handles(path) ? _reviews.ServeAsync(context, path, user) : null;
    }
}
