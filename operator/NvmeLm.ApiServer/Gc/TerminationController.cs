using NvmeLm.ApiServer.Api;
using NvmeLm.ApiServer.Crds;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Gc;

/// <summary>
/// The namespace controller and the CRD finalizer in one: a terminating namespace has its content
/// deleted and is finalized once empty; a deleted CRD has its instances deleted before it goes away
/// (each instance's own finalizers still hold it up, as in Kubernetes).
/// </summary>
public sealed class TerminationController
{
    private readonly ResourceRegistry _registry;
    private readonly ResourceService _service;

    public TerminationController(ResourceRegistry registry, ResourceService service)
    {
        _registry = registry;
        _service = service;
    }

    public void Scan()
    {
        foreach (var (type, obj) in StoredObjects.Tracked(_registry, _service.Store))
        {
            if (obj["metadata"]?["deletionTimestamp"] is null)
            {
                continue;
            }
            string name = obj["metadata"]!["name"]!.GetValue<string>();
            if (type.Group.Length == 0 && type.Plural == "namespaces")
            {
                var content = StoredObjects.Snapshot(_registry, _service.Store, name).Where(o => o.Type.Namespaced).ToList();
                DeleteAll(content);
                if (content.Count == 0)
                {
                    Tolerate(() => _service.FinalizeNamespace(type, name));
                }
            }
            else if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
            {
                var instances = _registry.Owned(name).Take(1)
                    .SelectMany(t => _service.Store.List(t.Storage, null).Items.Select(o => (Type: t, Obj: t.Converter.FromStorage(o, t))))
                    .ToList();
                DeleteAll(instances);
                if (instances.Count == 0)
                {
                    Tolerate(() => _service.RemoveFinalizer(type, "", name, CrdStrategy.CleanupFinalizer));
                }
            }
        }
    }

    private void DeleteAll(IEnumerable<(ResourceType Type, System.Text.Json.Nodes.JsonObject Obj)> objects)
    {
        foreach (var (type, obj) in objects.Where(o => o.Obj["metadata"]?["deletionTimestamp"] is null))
        {
            Tolerate(() => _service.Delete(type, obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]!["name"]!.GetValue<string>(), DeleteOptions.Default));
        }
    }

    private static void Tolerate(Action action)
    {
        try
        {
            action();
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Changed meanwhile; the next scan sees the new state.
        }
    }
}
