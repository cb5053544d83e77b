namespace NvmeLm.ApiServer.Authorization;

/// <summary>Decides whether a request may proceed (kube's authorizer.Authorizer).</summary>
public interface IAuthorizer
{
    AuthorizationDecision Authorize(AuthorizationAttributes attributes);
}
