using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// The 409 an apply gets when it would change fields other managers own, worded as kube-apiserver words it
/// (apimachinery <c>managedfields/internal/conflict.go</c> NewConflictError: one cause per field of type
/// FieldManagerConflict; "Apply failed with N conflicts", grouped by manager when there are several).
/// </summary>
public static class ApplyConflicts
{
    public static ApiException Error(IReadOnlyList<(ManagedFieldsEntry Owner, FieldSet Fields)> conflicts)
    {
        var all = conflicts
            .SelectMany(c => c.Fields.MemberPaths().Select(p => (Manager: c.Owner.Describe(), Path: PathElements.Display(p))))
            .ToList();
        var causes = new JsonArray();
        foreach (var (manager, path) in all)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {manager}", ["field"] = path });
        }
        string message;
        if (all.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {all[0].Manager}: {all[0].Path}";
        }
        else
        {
            var lines = all.GroupBy(c => c.Manager).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => $"- {c.Path}").Prepend($"conflicts with {g.Key}:"));
            message = $"Apply failed with {all.Count} conflicts: {string.Join("\n", lines)}";
        }
        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }
}
