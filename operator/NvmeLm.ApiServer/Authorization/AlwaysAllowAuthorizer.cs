namespace NvmeLm.ApiServer.Authorization;

/// <summary>Allows everything (kube's AlwaysAllow mode); what access reviews answer when RBAC is off.</summary>
public sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    public static AlwaysAllowAuthorizer Instance { get; } = new();

    public AuthorizationDecision Authorize(AuthorizationAttributes attributes) => AuthorizationDecision.Allow();
}
