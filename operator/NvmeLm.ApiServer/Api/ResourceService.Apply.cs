using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Api;

public sealed partial class ResourceService
{
    /// <summary>
    /// Server-side apply (PATCH application/apply-patch+yaml): creates the object when it does not exist,
    /// otherwise merges the applied configuration by the type's schema, removes what this manager stopped
    /// applying, and records field ownership — refusing (409) to change fields other managers own unless
    /// <paramref name="force"/> (see <see cref="FieldManager"/>). The main resource ignores status and the
    /// status subresource applies only status, as kube's reset fields do.
    /// </summary>
    private WriteOutcome Apply(ResourceType type, string namespaceName, string name, string? subresource, JsonNode? patch, bool dryRun,
        string? fieldValidation, string? fieldManager, bool force)
    {
        if (patch is not JsonObject applied)
        {
            throw ApiException.BadRequest("the applied configuration must be an object");
        }
        if (string.IsNullOrEmpty(fieldManager))
        {
            // apimachinery ValidatePatchOptions.
            throw ApiException.Invalid("PatchOptions", "meta.k8s.io", "", [new InvalidCause("FieldValueRequired", "fieldManager", "Required value: is required for apply patch")]);
        }
        string? appliedName = applied["metadata"]?["name"]?.GetValue<string>();
        if (appliedName is not null && appliedName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({appliedName}) does not match the name on the URL ({name})");
        }
        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }
        var config = AppliedPart(type, subresource, applied);
        var who = new WriteManager(fieldManager, type.ApiVersion, subresource);
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (subresource is null && _store.Get(type.Storage, new ObjectName(type.Namespaced ? namespaceName : "", name)) is null)
            {
                try
                {
                    var created = _fields.Apply(null, config, type.MergeType, who, force);
                    return Create(type, namespaceName, created, dryRun, fieldValidation);
                }
                catch (ApiException e) when (e.Reason == "AlreadyExists")
                {
                    continue;
                }
            }
            return Mutate(type, namespaceName, name, subresource, current => _fields.Apply(current, config, type.MergeType, who, force),
                dryRun, fieldValidation, computeSetsManagedFields: true);
        }
        throw ApiException.StaleResourceVersion(type.QualifiedResource, name);
    }

    /// <summary>What an apply may set: everything but status on the main resource of a type with a status subresource; only status (and metadata) on /status.</summary>
    private static JsonObject AppliedPart(ResourceType type, string? subresource, JsonObject applied)
    {
        var config = (JsonObject)applied.DeepClone();
        CheckTypeMeta(type, config);
        if (subresource == "status")
        {
            foreach (string key in config.Select(p => p.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
            {
                config.Remove(key);
            }
        }
        else if (type.HasStatusSubresource)
        {
            config.Remove("status");
        }
        return config;
    }
}
