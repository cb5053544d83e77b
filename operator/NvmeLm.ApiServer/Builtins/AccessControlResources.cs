using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// The kinds authentication, RBAC and admission policy read — ServiceAccount, Role, ClusterRole, RoleBinding,
/// ClusterRoleBinding, ValidatingAdmissionPolicy (with status) and ValidatingAdmissionPolicyBinding — served
/// minimally (stored and returned, no schema) for whichever of them <see cref="BuiltinResources"/> does not
/// serve already. The authorizer and the admission policy read them from the store as plain JSON objects, so
/// when the built-ins serve them with their real schemas this registers nothing.
/// </summary>
public static class AccessControlResources
{
    public const string Owner = "access-control";

    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Admission = "admissionregistration.k8s.io";

    /// <summary>Registers, under <see cref="Owner"/>, the kinds of this list the registry does not serve yet.</summary>
    public static void RegisterMissing(ResourceRegistry registry)
    {
        var missing = All().Where(t => registry.Find(t.Group, t.Version, t.Plural) is null).ToList();
        if (missing.Count > 0)
        {
            registry.Set(Owner, missing);
        }
    }

    private static IEnumerable<ResourceType> All()
    {
        yield return Type("", "serviceaccounts", "serviceaccount", "ServiceAccount", namespaced: true, shortNames: ["sa"]);
        yield return Type(Rbac, "roles", "role", "Role", namespaced: true);
        yield return Type(Rbac, "clusterroles", "clusterrole", "ClusterRole", namespaced: false);
        yield return Type(Rbac, "rolebindings", "rolebinding", "RoleBinding", namespaced: true);
        yield return Type(Rbac, "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", namespaced: false);
        yield return Type(Admission, "validatingadmissionpolicies", "validatingadmissionpolicy", "ValidatingAdmissionPolicy", namespaced: false, status: true);
        yield return Type(Admission, "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", "ValidatingAdmissionPolicyBinding", namespaced: false);
    }

    private static ResourceType Type(string group, string plural, string singular, string kind, bool namespaced, bool status = false, string[]? shortNames = null) => new()
    {
        Group = group, Version = "v1", Plural = plural, Singular = singular, Kind = kind,
        Namespaced = namespaced, HasStatusSubresource = status, ShortNames = shortNames ?? [],
        Storage = new StorageKey(group, plural),
        Table = new DelegateTableConvertor(DelegateTableConvertor.Age),
    };
}
