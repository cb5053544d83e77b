namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// An authenticated client, as kube-apiserver's <c>user.Info</c>: name, uid, groups and extra claims (a
/// pod-bound service-account token carries the pod's and its node's names and uids there).
/// </summary>
public sealed record UserInfo(string Name, string Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> NoExtra { get; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A request without credentials (kube-apiserver's anonymous authenticator).</summary>
    public static UserInfo Anonymous { get; } = new(SystemUsers.Anonymous, "", [SystemUsers.UnauthenticatedGroup], NoExtra);

    public bool InGroup(string group)
    {
        foreach (string g in Groups)
        {
            if (g == group)
            {
                return true;
            }
        }
        return false;
    }
}
