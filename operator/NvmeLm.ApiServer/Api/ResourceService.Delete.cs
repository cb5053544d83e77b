using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Selectors;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Api;

public sealed partial class ResourceService
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string NamespaceFinalizer = "kubernetes";

    /// <summary>
    /// DELETE: with finalizers (or a propagation policy that adds one, or a namespace with content to
    /// remove) the object only gets a deletionTimestamp and the answer is 202; otherwise it is removed.
    /// </summary>
    public WriteOutcome Delete(ResourceType type, string namespaceName, string name, DeleteOptions options)
    {
        var key = new ObjectName(type.Namespaced ? namespaceName : "", name);
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var stored = _store.Get(type.Storage, key) ?? throw ApiException.NotFound(type.QualifiedResource, name);
            var current = type.Converter.FromStorage(stored, type);
            if (options.PreconditionUid is string uid && uid != MetaString(current, "uid"))
            {
                throw ApiException.Conflict(type.QualifiedResource, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {MetaString(current, "uid")}");
            }
            if (options.PreconditionResourceVersion is string rv && rv != MetaString(current, "resourceVersion"))
            {
                throw ApiException.Conflict(type.QualifiedResource, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {MetaString(current, "resourceVersion")}");
            }
            var warnings = Admit(AdmissionOperation.Delete, type, null, namespaceName, name, null, current, options.DryRun, []);

            var next = (JsonObject)current.DeepClone();
            var finalizers = Finalizers(next);
            string? policyFinalizer = options.PropagationPolicy switch
            {
                "Orphan" => OrphanFinalizer,
                "Foreground" => ForegroundFinalizer,
                _ => null,
            };
            if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer) && current["metadata"]?["deletionTimestamp"] is null)
            {
                finalizers.Add(policyFinalizer);
                Metadata(next)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
            }
            bool isNamespace = type.Storage == s_namespaces;
            if (isNamespace)
            {
                next["spec"] = new JsonObject { ["finalizers"] = new JsonArray(NamespaceFinalizer) };
                next["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            if (finalizers.Count > 0 || isNamespace)
            {
                if (current["metadata"]?["deletionTimestamp"] is not null && JsonNode.DeepEquals(next, current))
                {
                    return new WriteOutcome(current, 202) { Warnings = warnings };
                }
                var metadata = Metadata(next);
                if (metadata["deletionTimestamp"] is null)
                {
                    metadata["deletionTimestamp"] = Now();
                    metadata["deletionGracePeriodSeconds"] = 0L;
                    metadata["generation"] = Generation(current) + 1;
                }
                if (options.DryRun)
                {
                    return new WriteOutcome(next, 202) { Warnings = warnings };
                }
                var nextStored = type.Converter.ToStorage(next, type);
                switch (_store.TryReplace(type.Storage, key, stored, nextStored))
                {
                    case WriteResult.Committed:
                        type.Strategy.Committed(StoreEventType.Modified, nextStored);
                        return new WriteOutcome(type.Converter.FromStorage(nextStored, type), 202) { Warnings = warnings };
                    case WriteResult.NotFound:
                        throw ApiException.NotFound(type.QualifiedResource, name);
                    default:
                        continue;
                }
            }

            if (options.DryRun)
            {
                return new WriteOutcome(type.ReturnsDeletedObject ? current : SuccessStatus(type, current), 200) { Warnings = warnings };
            }
            switch (_store.TryRemove(type.Storage, key, stored, out var removed))
            {
                case WriteResult.Committed:
                    type.Strategy.Committed(StoreEventType.Deleted, removed!);
                    var served = type.Converter.FromStorage(removed!, type);
                    return new WriteOutcome(type.ReturnsDeletedObject ? served : SuccessStatus(type, served), 200) { Warnings = warnings };
                case WriteResult.NotFound:
                    throw ApiException.NotFound(type.QualifiedResource, name);
                default:
                    continue;
            }
        }
        throw ApiException.StaleResourceVersion(type.QualifiedResource, name);
    }

    /// <summary>DELETE on a collection: deletes every matching object, answering with the list of what it deleted.</summary>
    public JsonObject DeleteCollection(ResourceType type, string? namespaceName, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        var result = List(type, namespaceName, labels, fields, null, null);
        var deleted = new List<JsonObject>();
        foreach (var item in result.Items)
        {
            try
            {
                deleted.Add(Delete(type, MetaString(item, "namespace") ?? "", MetaString(item, "name")!, options).Body);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently: that is the outcome we wanted.
            }
        }
        return ToListObject(type, new ListResult(deleted, _store.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null));
    }

    /// <summary>Removes the namespace lifecycle finalizer once its content is gone (the namespace controller's last step).</summary>
    public void FinalizeNamespace(ResourceType namespaces, string name) =>
        Mutate(namespaces, "", name, "finalize", current =>
        {
            current.Remove("spec");
            return current;
        }, dryRun: false);

    /// <summary>Read-modify-write of one object through the full update path (used by the server's own controllers).</summary>
    public WriteOutcome Modify(ResourceType type, string namespaceName, string name, Func<JsonObject, JsonObject> compute) =>
        Mutate(type, namespaceName, name, subresource: null, compute, dryRun: false);

    /// <summary>Removes one finalizer (if present) from an object.</summary>
    public void RemoveFinalizer(ResourceType type, string namespaceName, string name, string finalizer) =>
        Modify(type, namespaceName, name, current =>
        {
            if (current["metadata"]?["finalizers"] is JsonArray finalizers)
            {
                foreach (var node in finalizers.Where(f => f?.GetValue<string>() == finalizer).ToList())
                {
                    finalizers.Remove(node);
                }
            }
            return current;
        });

    private static bool HasNamespaceFinalizer(ResourceType type, JsonObject obj) =>
        type.Storage == s_namespaces && (obj["spec"]?["finalizers"] as JsonArray)?.Count > 0;

    private static JsonObject SuccessStatus(ResourceType type, JsonObject deleted) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = MetaString(deleted, "name"),
            ["group"] = type.Group,
            ["kind"] = type.Plural,
            ["uid"] = MetaString(deleted, "uid"),
        },
    };
}
