using k8s;
using k8s.Models;
using NvmeLm.Kube.Informers;

namespace NvmeLm.Kube.Tests.Integration;

/// <summary>Remembers every informer callback as "add ns/name", "update ns/name", "delete ns/name".</summary>
internal sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<string> _events = new();

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public bool Saw(string entry) => Events.Contains(entry);

    public void OnAdd(T obj) => Record("add", obj);

    public void OnUpdate(T oldObj, T newObj) => Record("update", newObj);

    public void OnDelete(T obj) => Record("delete", obj);

    private void Record(string verb, T obj)
    {
        lock (_events)
        {
            _events.Add($"{verb} {NamespacedName.Of(obj)}");
        }
    }
}
