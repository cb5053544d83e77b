using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Tables;
using static NvmeLm.ApiServer.Builtins.BuiltinColumns;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding and ClusterRoleBinding: stored and served
/// (enforcement is the authorizer's job, not the storage's).
/// </summary>
internal static class RbacResources
{
    private const string Group = "rbac.authorization.k8s.io";

    public static IEnumerable<ResourceType> Create()
    {
        yield return Type("roles", "role", "Role", typeof(V1Role), namespaced: true, RoleTable());
        yield return Type("clusterroles", "clusterrole", "ClusterRole", typeof(V1ClusterRole), namespaced: false, RoleTable());
        yield return Type("rolebindings", "rolebinding", "RoleBinding", typeof(V1RoleBinding), namespaced: true, BindingTable());
        yield return Type("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", typeof(V1ClusterRoleBinding), namespaced: false, BindingTable());
    }

    private static ResourceType Type(string plural, string singular, string kind, Type model, bool namespaced, ITableConvertor table) => new()
    {
        Group = Group, Version = "v1", Plural = plural, Singular = singular, Kind = kind, Model = model,
        Namespaced = namespaced, Storage = new StorageKey(Group, plural), Table = table,
    };

    /// <summary>printers.go roleColumnDefinitions: Name and Created At.</summary>
    private static DelegateTableConvertor RoleTable() => new(
        (new TableColumn("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone()));

    /// <summary>printers.go roleBindingsColumnDefinitions: Name, Role, Age, then Users, Groups and ServiceAccounts (wide).</summary>
    private static DelegateTableConvertor BindingTable() => new(
        Column("Role", "RoleRef is the reference to the role the binding refers to.", o => $"{Text(o["roleRef"]?["kind"])}/{Text(o["roleRef"]?["name"])}"),
        Age,
        Column("Users", "Users in the binding", o => Subjects(o, "User", s => Text(s["name"])), priority: 1),
        Column("Groups", "Groups in the binding", o => Subjects(o, "Group", s => Text(s["name"])), priority: 1),
        Column("ServiceAccounts", "ServiceAccounts in the binding", o => Subjects(o, "ServiceAccount", s => $"{Text(s["namespace"])}/{Text(s["name"])}"), priority: 1));

    private static string Subjects(JsonObject binding, string kind, Func<JsonObject, string> format) =>
        string.Join(", ", (binding["subjects"] as JsonArray)?.OfType<JsonObject>().Where(s => Text(s["kind"]) == kind).Select(format) ?? []);
}
