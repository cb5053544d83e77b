namespace NvmeLm.Kube.Informers;

/// <summary>
/// Receives the informer's changes after the cache has been updated. Handlers run on the informer's loop:
/// keep them short (enqueue a key) and never block.
/// </summary>
public interface IResourceEventHandler<in T>
{
    void OnAdd(T obj);

    void OnUpdate(T oldObj, T newObj);

    /// <summary><paramref name="obj"/> is the last state the cache knew.</summary>
    void OnDelete(T obj);
}
