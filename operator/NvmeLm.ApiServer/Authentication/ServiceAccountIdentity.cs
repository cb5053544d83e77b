namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// How kube names a service account as a user (k8s.io/apiserver/pkg/authentication/serviceaccount/util.go):
/// user <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>, groups <c>system:serviceaccounts</c> and
/// <c>system:serviceaccounts:&lt;ns&gt;</c>, and the extra keys of a pod-bound token.
/// </summary>
public static class ServiceAccountIdentity
{
    public const string UsernamePrefix = "system:serviceaccount:";
    public const string AllServiceAccountsGroup = "system:serviceaccounts";
    public const string GroupPrefix = "system:serviceaccounts:";

    public const string PodNameKey = "authentication.kubernetes.io/pod-name";
    public const string PodUidKey = "authentication.kubernetes.io/pod-uid";
    public const string NodeNameKey = "authentication.kubernetes.io/node-name";
    public const string NodeUidKey = "authentication.kubernetes.io/node-uid";
    public const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    public static string Username(string namespaceName, string name) => UsernamePrefix + namespaceName + ":" + name;

    /// <summary>Splits a service-account username; false for any other name.</summary>
    public static bool TryParse(string username, out string namespaceName, out string name)
    {
        namespaceName = name = "";
        if (!username.StartsWith(UsernamePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        string rest = username[UsernamePrefix.Length..];
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == rest.Length - 1 || rest.IndexOf(':', colon + 1) >= 0)
        {
            return false;
        }
        namespaceName = rest[..colon];
        name = rest[(colon + 1)..];
        return true;
    }

    /// <summary>The groups a service account is in, <c>system:authenticated</c> included (the authenticator adds it in kube).</summary>
    public static IReadOnlyList<string> Groups(string namespaceName) =>
        [AllServiceAccountsGroup, GroupPrefix + namespaceName, SystemUsers.AuthenticatedGroup];
}
