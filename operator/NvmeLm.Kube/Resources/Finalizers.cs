using k8s;
using k8s.Models;
using NvmeLm.Kube.Client;

namespace NvmeLm.Kube.Resources;

/// <summary>
/// Finalizer helpers. Writes go through <see cref="ObjectUpdater"/> (resourceVersion-checked PUT, re-read on
/// 409), so a finalizer is never lost to, nor duplicated by, a concurrent writer.
/// </summary>
public static class Finalizers
{
    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer) =>
        obj?.Metadata?.Finalizers?.Contains(finalizer) == true;

    /// <summary>True when deletion was requested and the object waits for its finalizers.</summary>
    public static bool IsBeingDeleted(IKubernetesObject<V1ObjectMeta> obj) => obj?.Metadata?.DeletionTimestamp is not null;

    /// <summary>Adds <paramref name="finalizer"/> unless present; returns the stored object (null if gone).</summary>
    public static Task<T?> AddFinalizerAsync<T>(
        this ResourceClient<T> client, NamespacedName key, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        client.UpdateAsync(key, Adding<T>(finalizer), cancellationToken);

    /// <summary>
    /// The same, starting from <paramref name="current"/> (a copy the caller read, cloned): no GET unless the write
    /// conflicts. For a reconcile that already holds the object it decided on.
    /// </summary>
    public static Task<T?> AddFinalizerAsync<T>(
        this ResourceClient<T> client, T current, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        client.UpdateAsync(current, Adding<T>(finalizer), cancellationToken);

    /// <summary>Removes <paramref name="finalizer"/> if present; returns the stored object (null once deleted).</summary>
    public static Task<T?> RemoveFinalizerAsync<T>(
        this ResourceClient<T> client, NamespacedName key, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        GoneIsNull(client.UpdateAsync(key, Removing<T>(finalizer), cancellationToken));

    /// <summary>The same, starting from <paramref name="current"/> (cloned): no GET unless the write conflicts.</summary>
    public static Task<T?> RemoveFinalizerAsync<T>(
        this ResourceClient<T> client, T current, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        GoneIsNull(client.UpdateAsync(current, Removing<T>(finalizer), cancellationToken));

    private static Func<T, bool> Adding<T>(string finalizer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        return obj =>
        {
            // Adding to an object already being deleted is refused by the API server; do not try.
            if (Has(obj, finalizer) || IsBeingDeleted(obj))
            {
                return false;
            }

            obj.Metadata.Finalizers ??= new List<string>();
            obj.Metadata.Finalizers.Add(finalizer);
            return true;
        };
    }

    private static Func<T, bool> Removing<T>(string finalizer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        return obj => Has(obj, finalizer) && obj.Metadata.Finalizers!.Remove(finalizer);
    }

    private static async Task<T?> GoneIsNull<T>(Task<T?> update)
        where T : class
    {
        try
        {
            return await update.ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The last finalizer went and the server deleted the object between read and write.
            return null;
        }
    }
}
