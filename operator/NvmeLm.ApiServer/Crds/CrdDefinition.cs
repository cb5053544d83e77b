using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Crds;

/// <summary>The checks kube-apiserver makes on a CustomResourceDefinition that a served resource relies on.</summary>
public static class CrdDefinition
{
    public static IReadOnlyList<InvalidCause> Validate(JsonObject crd, JsonObject? old)
    {
        var causes = new List<InvalidCause>();
        var spec = crd["spec"] as JsonObject;
        string name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        string group = spec?["group"]?.GetValue<string>() ?? "";
        string plural = spec?["names"]?["plural"]?.GetValue<string>() ?? "";
        string kind = spec?["names"]?["kind"]?.GetValue<string>() ?? "";
        string scope = spec?["scope"]?.GetValue<string>() ?? "";
        if (group.Length == 0)
        {
            causes.Add(new("FieldValueRequired", "spec.group", "Required value"));
        }
        if (plural.Length == 0)
        {
            causes.Add(new("FieldValueRequired", "spec.names.plural", "Required value"));
        }
        if (kind.Length == 0)
        {
            causes.Add(new("FieldValueRequired", "spec.names.kind", "Required value"));
        }
        if (name != $"{plural}.{group}")
        {
            causes.Add(new("FieldValueInvalid", "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(new("FieldValueNotSupported", "spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            causes.Add(new("FieldValueInvalid", "spec.versions", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(new("FieldValueInvalid", "spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }
        for (int i = 0; i < versions.Count; i++)
        {
            if (versions[i]["schema"]?["openAPIV3Schema"] is not JsonObject)
            {
                causes.Add(new("FieldValueRequired", $"spec.versions[{i}].schema.openAPIV3Schema", "Required value: schemas are required"));
            }
        }
        if (old is not null)
        {
            if (old["spec"]?["group"]?.GetValue<string>() != group)
            {
                causes.Add(new("FieldValueInvalid", "spec.group", $"Invalid value: \"{group}\": field is immutable"));
            }
        }
        return causes;
    }
}
