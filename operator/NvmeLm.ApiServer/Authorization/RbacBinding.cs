using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>A RoleBinding (with its namespace) or ClusterRoleBinding (namespace empty): who gets which role.</summary>
public sealed record RbacBinding(string Name, string Namespace, string RoleKind, string RoleName, IReadOnlyList<RbacSubject> Subjects)
{
    public static RbacBinding From(JsonObject binding) => new(
        binding["metadata"]?["name"]?.GetValue<string>() ?? "",
        binding["metadata"]?["namespace"]?.GetValue<string>() ?? "",
        binding["roleRef"]?["kind"]?.GetValue<string>() ?? "",
        binding["roleRef"]?["name"]?.GetValue<string>() ?? "",
        (binding["subjects"] as JsonArray)?.OfType<JsonObject>().Select(RbacSubject.From).ToList() ?? []);

    /// <summary>The first subject that is <paramref name="user"/>, or null.</summary>
    public RbacSubject? SubjectFor(UserInfo user)
    {
        foreach (var subject in Subjects)
        {
            if (subject.AppliesTo(user, Namespace))
            {
                return subject;
            }
        }
        return null;
    }

    /// <summary>kube's binding describer, e.g. <c>ClusterRoleBinding "b" of ClusterRole "r" to Group "g"</c>.</summary>
    public string Describe(RbacSubject subject) => Namespace.Length == 0
        ? $"ClusterRoleBinding \"{Name}\" of {RoleKind} \"{RoleName}\" to {subject.Describe("")}"
        : $"RoleBinding \"{Name}/{Namespace}\" of {RoleKind} \"{RoleName}\" to {subject.Describe(Namespace)}";
}
