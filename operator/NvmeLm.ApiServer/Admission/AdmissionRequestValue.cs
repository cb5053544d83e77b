using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// The CEL values a policy sees (k8s.io/apiserver/pkg/admission/plugin/cel CreateAdmissionRequest and
/// CreateNamespaceObject): <c>object</c>, <c>oldObject</c>, <c>request</c> (kind, resource, subResource, the
/// request* copies, name, namespace, operation, userInfo with extra, dryRun, options) and <c>namespaceObject</c>.
/// <c>request</c> and <c>namespaceObject</c> are typed objects in kube, so their unset fields read as empty
/// values rather than errors; they are filled the same way here.
/// </summary>
public static class AdmissionRequestValue
{
    public static Dictionary<string, object?> Request(AdmissionAttributes attributes)
    {
        var type = attributes.Type;
        var kind = new Dictionary<string, object?> { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new Dictionary<string, object?> { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural };
        return new Dictionary<string, object?>
        {
            ["uid"] = "",
            ["kind"] = kind,
            ["resource"] = resource,
            ["subResource"] = attributes.Subresource,
            ["requestKind"] = kind,
            ["requestResource"] = resource,
            ["requestSubResource"] = attributes.Subresource,
            ["name"] = attributes.Name,
            ["namespace"] = attributes.Namespace,
            ["operation"] = attributes.OperationName,
            ["userInfo"] = UserInfo(attributes.User),
            ["dryRun"] = attributes.DryRun,
            ["options"] = new Dictionary<string, object?>
            {
                ["kind"] = attributes.OperationName switch { "CREATE" => "CreateOptions", "UPDATE" => "UpdateOptions", _ => "DeleteOptions" },
                ["apiVersion"] = "meta.k8s.io/v1",
            },
        };
    }

    public static Dictionary<string, object?> UserInfo(UserInfo user) => new()
    {
        ["username"] = user.Name,
        ["uid"] = user.Uid,
        ["groups"] = user.Groups.Cast<object?>().ToList(),
        ["extra"] = user.Extra.ToDictionary(p => p.Key, p => (object?)p.Value.Cast<object?>().ToList(), StringComparer.Ordinal),
    };

    /// <summary>The namespace's metadata (labels and annotations always present), spec and status; null for none.</summary>
    public static object? Namespace(JsonObject? namespaceObject)
    {
        if (namespaceObject is null)
        {
            return null;
        }
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["labels"] = new Dictionary<string, object?>(), ["annotations"] = new Dictionary<string, object?>() };
        if (namespaceObject["metadata"] is JsonObject source)
        {
            foreach (string field in new[] { "name", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations" })
            {
                if (source[field] is JsonNode value)
                {
                    metadata[field] = CelValues.From(value);
                }
            }
        }
        return new Dictionary<string, object?>
        {
            ["metadata"] = metadata,
            ["spec"] = CelValues.From(namespaceObject["spec"]) ?? new Dictionary<string, object?>(),
            ["status"] = CelValues.From(namespaceObject["status"]) ?? new Dictionary<string, object?>(),
        };
    }
}
