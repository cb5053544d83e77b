namespace NvmeLm.ApiServer.Authentication;

/// <summary>The users and groups kube-apiserver gives meaning to (k8s.io/apiserver/pkg/authentication/user/user.go).</summary>
public static class SystemUsers
{
    public const string Anonymous = "system:anonymous";

    /// <summary>Every request that authenticated.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>Members may do anything: kube-apiserver's privileged-groups authorizer allows them before RBAC is asked.</summary>
    public const string MastersGroup = "system:masters";
}
