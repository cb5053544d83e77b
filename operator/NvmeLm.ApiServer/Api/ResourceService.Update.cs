using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Patching;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Api;

public sealed partial class ResourceService
{
    public const string MergePatchType = "application/merge-patch+json";
    public const string JsonPatchType = "application/json-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    private static readonly string[] s_systemMetadata = ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "name"];

    /// <summary>PUT of the main resource or of <c>/status</c>; <paramref name="fieldManager"/> is recorded as an Update manager.</summary>
    public WriteOutcome Update(ResourceType type, string namespaceName, string name, string? subresource, JsonNode? body, bool dryRun = false,
        string? fieldValidation = null, string? fieldManager = null)
    {
        if (body is not JsonObject obj)
        {
            throw ApiException.BadRequest("the request body must be a JSON object");
        }
        string? bodyName = obj["metadata"]?["name"]?.GetValue<string>();
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        if (type.IsCustomResource && string.IsNullOrEmpty(obj["metadata"]?["resourceVersion"]?.GetValue<string>()))
        {
            throw ApiException.Invalid(type.Kind, type.Group, name,
                [new InvalidCause("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
        }
        return Mutate(type, namespaceName, name, subresource, _ => (JsonObject)obj.DeepClone(), dryRun, fieldValidation, fieldManager);
    }

    /// <summary>PATCH with merge, JSON or (for built-ins) strategic merge patch, or server-side apply.</summary>
    public WriteOutcome Patch(ResourceType type, string namespaceName, string name, string? subresource, string contentType, JsonNode? patch, bool dryRun = false,
        string? fieldValidation = null, string? fieldManager = null, bool force = false)
    {
        if (contentType == ApplyPatchType)
        {
            return Apply(type, namespaceName, name, subresource, patch, dryRun, fieldValidation, fieldManager, force);
        }
        if (force)
        {
            throw ApiException.Invalid("PatchOptions", "meta.k8s.io", "", [new InvalidCause("FieldValueForbidden", "force", "Forbidden: may not be specified for non-apply patch")]);
        }
        Func<JsonObject, JsonObject> apply = contentType switch
        {
            MergePatchType => current => AsObject(MergePatch.Apply(current, patch)),
            JsonPatchType => current => AsObject(JsonPatch.Apply(current, patch)),
            StrategicMergePatchType when !type.IsCustomResource => current => AsObject(StrategicMerge.Apply(current, patch, type.MergeType)),
            _ => throw ApiException.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: {JsonPatchType}, {MergePatchType}, {ApplyPatchType}"
                + (type.IsCustomResource ? "" : $", {StrategicMergePatchType}")),
        };
        return Mutate(type, namespaceName, name, subresource, apply, dryRun, fieldValidation, fieldManager);
    }

    /// <summary>A deep copy of <paramref name="source"/> without its member <paramref name="skipped"/> (never copied).</summary>
    private static JsonObject CloneExcept(JsonObject source, string skipped)
    {
        var copy = new JsonObject(source.Options);
        foreach (var (name, value) in source)
        {
            if (name != skipped)
            {
                copy[name] = value?.DeepClone();
            }
        }
        return copy;
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiException.BadRequest("the patch did not produce a JSON object");

    /// <summary>
    /// The update loop (kube-apiserver's GuaranteedUpdate): read, compute the next state from a copy,
    /// check preconditions, keep system metadata, apply status rules, validate, bump generation on spec
    /// changes, and compare-and-swap; a concurrent writer makes it start over.
    /// </summary>
    /// <param name="fieldManager">Recorded as an Update manager of what changed; null leaves managedFields as they are (server-internal writes).</param>
    /// <param name="computeSetsManagedFields">The computation (an apply) already set managedFields; keep them.</param>
    private WriteOutcome Mutate(ResourceType type, string namespaceName, string name, string? subresource, Func<JsonObject, JsonObject> compute, bool dryRun,
        string? fieldValidation = null, string? fieldManager = null, bool computeSetsManagedFields = false)
    {
        var key = new ObjectName(type.Namespaced ? namespaceName : "", name);
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var stored = _store.Get(type.Storage, key) ?? throw ApiException.NotFound(type.QualifiedResource, name);
            var current = type.Converter.FromStorage(stored, type);
            var next = compute((JsonObject)current.DeepClone());
            CheckTypeMeta(type, next);
            var nextMetadata = Metadata(next);

            string currentRv = MetaString(current, "resourceVersion")!;
            string? wantedRv = nextMetadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(wantedRv) && wantedRv != currentRv)
            {
                throw ApiException.StaleResourceVersion(type.QualifiedResource, name);
            }
            string? wantedUid = nextMetadata["uid"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(wantedUid) && wantedUid != MetaString(current, "uid"))
            {
                throw ApiException.Conflict(type.QualifiedResource, name,
                    $"Precondition failed: UID in precondition: {wantedUid}, UID in object meta: {MetaString(current, "uid")}");
            }

            if (subresource == "status")
            {
                // The stored object with the computed status. Both nodes move out of next, this write's own copy,
                // instead of being cloned: the status is most of an NvmeNode, written several times per migration.
                var statusOnly = CloneExcept(current, "status");
                if (next["status"] is JsonNode status)
                {
                    next.Remove("status");
                    statusOnly["status"] = status;
                }
                if (next["metadata"] is JsonObject computedMetadata && computedMetadata["managedFields"] is JsonNode managedFields)
                {
                    // Who wrote the status is recorded like any write (an apply computed it already).
                    computedMetadata.Remove("managedFields");
                    statusOnly["metadata"]!["managedFields"] = managedFields;
                }
                next = statusOnly;
                nextMetadata = Metadata(next);
            }
            else
            {
                foreach (string field in s_systemMetadata)
                {
                    nextMetadata.Remove(field);
                    if (current["metadata"]?[field] is JsonNode value)
                    {
                        nextMetadata[field] = value.DeepClone();
                    }
                }
                if (type.HasStatusSubresource)
                {
                    next.Remove("status");
                    if (current["status"] is JsonNode status)
                    {
                        next["status"] = status.DeepClone();
                    }
                }
            }
            nextMetadata["resourceVersion"] = currentRv;
            if (!computeSetsManagedFields && fieldManager is null)
            {
                nextMetadata.Remove("managedFields");
                if (current["metadata"]?["managedFields"] is JsonNode managed)
                {
                    nextMetadata["managedFields"] = managed.DeepClone();
                }
            }

            var causes = new List<InvalidCause>();
            bool deleting = current["metadata"]?["deletionTimestamp"] is not null;
            if (deleting && Finalizers(next).Except(Finalizers(current)).Any())
            {
                causes.Add(new InvalidCause("FieldValueForbidden", "metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted"));
            }
            type.Strategy.PrepareForUpdate(next, current);
            causes.AddRange(type.Strategy.Validate(next, current));
            var warnings = ValidateCustom(type, next, current, causes, fieldValidation);
            ThrowIfInvalid(type, name, causes);
            if (fieldManager is not null && !computeSetsManagedFields)
            {
                _fields.RecordUpdate(current, next, type.MergeType, new WriteManager(fieldManager, type.ApiVersion, subresource));
            }
            // After the field manager, as in kube: the policies see the object as it will be stored.
            warnings = Admit(AdmissionOperation.Update, type, subresource, namespaceName, name, next, current, dryRun, warnings);
            if (SpecChanged(type, next, current))
            {
                nextMetadata["generation"] = Generation(current) + 1;
            }
            if (JsonNode.DeepEquals(next, current))
            {
                // A no-op write keeps the resourceVersion and sends no watch event, like kube-apiserver.
                return new WriteOutcome(current, 200) { Warnings = warnings };
            }
            if (dryRun)
            {
                return new WriteOutcome(next, 200) { Warnings = warnings };
            }
            if (deleting && Finalizers(next).Count == 0 && !HasNamespaceFinalizer(type, next))
            {
                // The last finalizer is gone: the object is deleted now, and the update answers with it.
                switch (_store.TryRemove(type.Storage, key, stored, out var removed))
                {
                    case WriteResult.Committed:
                        type.Strategy.Committed(StoreEventType.Deleted, removed!);
                        return new WriteOutcome(type.Converter.FromStorage(removed!, type), 200);
                    case WriteResult.NotFound:
                        throw ApiException.NotFound(type.QualifiedResource, name);
                    default:
                        continue;
                }
            }

            var nextStored = type.Converter.ToStorage(next, type);
            switch (_store.TryReplace(type.Storage, key, stored, nextStored))
            {
                case WriteResult.Committed:
                    type.Strategy.Committed(StoreEventType.Modified, nextStored);
                    return new WriteOutcome(type.Converter.FromStorage(nextStored, type), 200) { Warnings = warnings };
                case WriteResult.NotFound:
                    throw ApiException.NotFound(type.QualifiedResource, name);
                default:
                    continue;
            }
        }
        throw ApiException.StaleResourceVersion(type.QualifiedResource, name);
    }
}
