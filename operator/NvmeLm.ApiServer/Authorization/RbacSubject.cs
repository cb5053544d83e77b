using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>A subject of a RoleBinding or ClusterRoleBinding: a User, a Group or a ServiceAccount.</summary>
public sealed record RbacSubject(string Kind, string Name, string Namespace)
{
    public static RbacSubject From(JsonObject subject) => new(
        subject["kind"]?.GetValue<string>() ?? "", subject["name"]?.GetValue<string>() ?? "", subject["namespace"]?.GetValue<string>() ?? "");

    /// <summary>
    /// kube's appliesToUser (pkg/registry/rbac/validation/rule.go): a ServiceAccount subject without a namespace
    /// means the binding's namespace (none for a ClusterRoleBinding, which then matches no one).
    /// </summary>
    public bool AppliesTo(UserInfo user, string bindingNamespace)
    {
        switch (Kind)
        {
            case "User":
                return user.Name == Name;
            case "Group":
                return user.InGroup(Name);
            case "ServiceAccount":
                string namespaceName = Namespace.Length > 0 ? Namespace : bindingNamespace;
                return namespaceName.Length > 0
                    && ServiceAccountIdentity.TryParse(user.Name, out string userNamespace, out string userName)
                    && userNamespace == namespaceName && userName == Name;
            default:
                return false;
        }
    }

    /// <summary>As kube's rule resolver describes it in an "allowed by" reason.</summary>
    public string Describe(string bindingNamespace) => Kind == "ServiceAccount"
        ? $"{Kind} \"{Name}/{(Namespace.Length > 0 ? Namespace : bindingNamespace)}\""
        : $"{Kind} \"{Name}\"";
}
