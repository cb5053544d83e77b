using NvmeLm.Kube.Informers;
using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Reconciliation;

/// <summary>
/// Turns changes of a secondary kind into keys of a controller's primary kind (controller-runtime's
/// <c>handler.EnqueueRequestsFromMapFunc</c>); an update queues the keys of both the old and the new state,
/// so an object that stops pointing at a key still wakes it once.
/// </summary>
internal sealed class MappingEventHandler<T>(WorkQueue<NamespacedName> queue, Func<T, IEnumerable<NamespacedName>> map)
    : IResourceEventHandler<T>
{
    public void OnAdd(T obj) => AddAll(obj);

    public void OnUpdate(T oldObj, T newObj)
    {
        AddAll(oldObj);
        AddAll(newObj);
    }

    public void OnDelete(T obj) => AddAll(obj);

    private void AddAll(T obj)
    {
        foreach (var key in map(obj))
        {
            queue.Add(key);
        }
    }
}
