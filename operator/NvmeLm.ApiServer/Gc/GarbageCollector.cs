using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Api;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Gc;

/// <summary>
/// kube-controller-manager's garbage collector, simplified to full scans: an object whose owners (by
/// uid) are all gone is deleted in the background; references to owners that are gone are dropped
/// while others remain; owners deleted with <c>Orphan</c> release their dependents, owners deleted with
/// <c>Foreground</c> wait until their dependents are gone.
/// </summary>
public sealed class GarbageCollector
{
    private readonly ResourceRegistry _registry;
    private readonly ResourceService _service;

    public GarbageCollector(ResourceRegistry registry, ResourceService service)
    {
        _registry = registry;
        _service = service;
    }

    public void Scan()
    {
        var all = StoredObjects.Tracked(_registry, _service.Store);
        var dependentsByOwner = new Dictionary<string, List<(ResourceType Type, JsonObject Obj)>>(StringComparer.Ordinal);
        foreach (var (type, obj) in all)
        {
            foreach (var reference in OwnerReferences(obj))
            {
                string uid = reference["uid"]?.GetValue<string>() ?? "";
                if (!dependentsByOwner.TryGetValue(uid, out var list))
                {
                    list = [];
                    dependentsByOwner[uid] = list;
                }
                list.Add((type, obj));
            }
        }
        foreach (var (type, obj) in all)
        {
            CollectIfOrphaned(type, obj);
            if (obj["metadata"]?["deletionTimestamp"] is null)
            {
                continue;
            }
            string uid = obj["metadata"]?["uid"]?.GetValue<string>() ?? "";
            var dependents = dependentsByOwner.GetValueOrDefault(uid) ?? [];
            var finalizers = (obj["metadata"]?["finalizers"] as JsonArray)?.Select(f => f?.GetValue<string>()).ToList() ?? [];
            if (finalizers.Contains(ResourceService.OrphanFinalizer))
            {
                foreach (var (dependentType, dependent) in dependents)
                {
                    Ignore404(() => _service.Modify(dependentType, Namespace(dependent), Name(dependent), current =>
                    {
                        DropReferences(current, reference => reference["uid"]?.GetValue<string>() == uid);
                        return current;
                    }));
                }
                Ignore404(() => _service.RemoveFinalizer(type, Namespace(obj), Name(obj), ResourceService.OrphanFinalizer));
            }
            else if (finalizers.Contains(ResourceService.ForegroundFinalizer))
            {
                foreach (var (dependentType, dependent) in dependents.Where(d => d.Obj["metadata"]?["deletionTimestamp"] is null))
                {
                    Ignore404(() => _service.Delete(dependentType, Namespace(dependent), Name(dependent), new DeleteOptions("Foreground", null, null, false)));
                }
                if (dependents.Count == 0)
                {
                    Ignore404(() => _service.RemoveFinalizer(type, Namespace(obj), Name(obj), ResourceService.ForegroundFinalizer));
                }
            }
        }
    }

    private void CollectIfOrphaned(ResourceType type, JsonObject obj)
    {
        var references = OwnerReferences(obj).ToList();
        if (references.Count == 0)
        {
            return;
        }
        var absent = references.Where(r => !_service.Store.UidExists(r["uid"]?.GetValue<string>() ?? "")).ToList();
        if (absent.Count == references.Count)
        {
            if (obj["metadata"]?["deletionTimestamp"] is null)
            {
                Ignore404(() => _service.Delete(type, Namespace(obj), Name(obj), DeleteOptions.Default));
            }
        }
        else if (absent.Count > 0)
        {
            var gone = absent.Select(r => r["uid"]?.GetValue<string>()).ToHashSet();
            Ignore404(() => _service.Modify(type, Namespace(obj), Name(obj), current =>
            {
                DropReferences(current, reference => gone.Contains(reference["uid"]?.GetValue<string>()));
                return current;
            }));
        }
    }

    private static IEnumerable<JsonObject> OwnerReferences(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static void DropReferences(JsonObject obj, Func<JsonObject, bool> predicate)
    {
        if (obj["metadata"]?["ownerReferences"] is JsonArray references)
        {
            foreach (var reference in references.OfType<JsonObject>().Where(predicate).ToList())
            {
                references.Remove(reference);
            }
        }
    }

    private static string Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static void Ignore404(Action action)
    {
        try
        {
            action();
        }
        catch (ApiException e) when (e.Code is 404 or 409 or 422)
        {
            // Gone or changed meanwhile (the next scan sees the new state), or refused by validation.
        }
    }
}
