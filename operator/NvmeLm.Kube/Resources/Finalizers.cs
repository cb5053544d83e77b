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
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        return client.UpdateAsync(key, obj =>
        {
            // Adding to an object already being deleted is refused by the API server; do not try.
            if (Has(obj, finalizer) || IsBeingDeleted(obj))
            {
                return false;
            }

            obj.Metadata.Finalizers ??= new List<string>();
            obj.Metadata.Finalizers.Add(finalizer);
            return true;
        }, cancellationToken);
    }

    /// <summary>Removes <paramref name="finalizer"/> if present; returns the stored object (null once deleted).</summary>
    public static async Task<T?> RemoveFinalizerAsync<T>(
        this ResourceClient<T> client, NamespacedName key, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        try
        {
            return await client.UpdateAsync(key, obj =>
            {
                if (!Has(obj, finalizer))
                {
                    return false;
                }

                obj.Metadata.Finalizers!.Remove(finalizer);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The last finalizer went and the server deleted the object between read and write.
            return null;
        }
    }
}
