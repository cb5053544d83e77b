using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Api;

public sealed partial class ResourceService
{
    /// <summary>
    /// POST: assigns uid, creationTimestamp and generation, validates, records <paramref name="fieldManager"/>'s
    /// fields (none when null: a server-internal write or an apply that recorded them), and stores (201 Created).
    /// </summary>
    public WriteOutcome Create(ResourceType type, string namespaceName, JsonNode? body, bool dryRun = false, string? fieldValidation = null, string? fieldManager = null)
    {
        if (body is not JsonObject obj)
        {
            throw ApiException.BadRequest("the request body must be a JSON object");
        }
        CheckTypeMeta(type, obj);
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }
        if (type.Namespaced)
        {
            string? bodyNamespace = metadata["namespace"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != namespaceName)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata["namespace"] = namespaceName;
        }
        else
        {
            metadata.Remove("namespace");
        }
        string name = metadata["name"]?.GetValue<string>() ?? "";
        if (name.Length == 0 && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = ObjectNames.Generate(prefix);
            metadata["name"] = name;
        }
        var causes = new List<InvalidCause>();
        if (name.Length == 0)
        {
            causes.Add(new InvalidCause("FieldValueRequired", "metadata.name", "Required value: name or generateName is required"));
            ThrowIfInvalid(type, name, causes);
        }
        string? nameError = ObjectNames.ErrorFor(type, name);
        if (nameError is not null)
        {
            causes.Add(new InvalidCause("FieldValueInvalid", "metadata.name", $"Invalid value: \"{name}\": {nameError}"));
            ThrowIfInvalid(type, name, causes);
        }
        if (type.Namespaced)
        {
            RequireLiveNamespace(type, namespaceName, name);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata["generation"] = 1L;
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (type.HasStatusSubresource && type.IsCustomResource)
        {
            // Custom resources with a status subresource drop status on create (apiextensions' strategy).
            obj.Remove("status");
        }
        type.Strategy.PrepareForCreate(obj);
        causes.AddRange(type.Strategy.Validate(obj, null));
        var warnings = ValidateCustom(type, obj, null, causes, fieldValidation);
        ThrowIfInvalid(type, name, causes);
        if (fieldManager is not null)
        {
            _fields.RecordUpdate(null, obj, type.MergeType, new WriteManager(fieldManager, type.ApiVersion, null));
        }
        // After the field manager, as in kube: the policies see the object as it will be stored.
        warnings = Admit(AdmissionOperation.Create, type, null, namespaceName, name, obj, null, dryRun, warnings);
        if (dryRun)
        {
            return new WriteOutcome(obj, 201) { Warnings = warnings };
        }

        var stored = type.Converter.ToStorage(obj, type);
        switch (_store.TryCreate(type.Storage, new ObjectName(type.Namespaced ? namespaceName : "", name), stored))
        {
            case WriteResult.Committed:
                type.Strategy.Committed(StoreEventType.Added, stored);
                return new WriteOutcome(type.Converter.FromStorage(stored, type), 201) { Warnings = warnings };
            default:
                throw ApiException.AlreadyExists(type.QualifiedResource, name);
        }
    }

    private void RequireLiveNamespace(ResourceType type, string namespaceName, string name)
    {
        var ns = _store.Get(s_namespaces, new ObjectName("", namespaceName)) ?? throw ApiException.NotFound("namespaces", namespaceName);
        if (ns["metadata"]?["deletionTimestamp"] is not null)
        {
            throw ApiException.Forbidden(type.QualifiedResource, name,
                $"unable to create new content in namespace {namespaceName} because it is being terminated");
        }
    }
}
