namespace NvmeLm.ApiServer.Authorization;

/// <summary>An authorizer's answer: allowed or not, and why (RBAC names the allowing binding, or the roles it could not resolve).</summary>
public readonly record struct AuthorizationDecision(bool Allowed, string Reason)
{
    public static AuthorizationDecision Allow(string reason = "") => new(true, reason);

    public static AuthorizationDecision NoOpinion(string reason = "") => new(false, reason);
}
