namespace NvmeLm.ApiServer.Authorization;

/// <summary>How the server authorizes requests (kube-apiserver's <c>--authorization-mode</c>).</summary>
public enum AuthorizationMode
{
    /// <summary>Every authenticated or anonymous request is allowed (the default here: the demo and most tests need no grants).</summary>
    AlwaysAllow,

    /// <summary>
    /// <c>system:masters</c> may do anything; everyone else only what the stored Roles, ClusterRoles, RoleBindings
    /// and ClusterRoleBindings grant (plus the default discovery, public-info and basic-user bindings created at start).
    /// </summary>
    Rbac,
}
