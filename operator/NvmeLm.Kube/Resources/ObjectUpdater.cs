using k8s;
using k8s.Models;
using NvmeLm.Kube.Client;
using NvmeLm.Kube.Queue;

namespace NvmeLm.Kube.Resources;

/// <summary>
/// Read–modify–write with optimistic concurrency: read the object, apply a mutation, PUT it with the
/// resourceVersion that was read; on 409 Conflict (or a transient 429/5xx) read again and re-apply the
/// mutation, with back-off, up to <see cref="MaxAttempts"/>. The mutation must be a pure function of the
/// object it is given, since it may run several times.
/// </summary>
public static class ObjectUpdater
{
    /// <summary>Attempts before the last conflict is thrown.</summary>
    public const int MaxAttempts = 10;

    private static readonly ExponentialBackoff s_backoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));

    /// <summary>
    /// Updates the <c>/status</c> subresource. <paramref name="mutate"/> returns false when the status already is
    /// as wanted (no write). Returns the object as stored, or null when it does not exist.
    /// </summary>
    public static Task<T?> UpdateStatusAsync<T>(
        this ResourceClient<T> client, NamespacedName key, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateAsync(client, key, mutate, (c, obj, ct) => c.ReplaceStatusAsync(obj, ct), cancellationToken);

    /// <summary>The same for the main resource (metadata, spec): finalizers, labels, annotations.</summary>
    public static Task<T?> UpdateAsync<T>(
        this ResourceClient<T> client, NamespacedName key, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateAsync(client, key, mutate, (c, obj, ct) => c.ReplaceAsync(obj, ct), cancellationToken);

    /// <summary>
    /// Like <see cref="UpdateStatusAsync{T}(ResourceClient{T}, NamespacedName, Func{T, bool}, CancellationToken)"/>,
    /// but the first attempt starts from <paramref name="startFrom"/> (typically the informer's cached copy,
    /// which is cloned, never changed) and so costs no GET; only a 409 makes it read the object again.
    /// </summary>
    public static Task<T?> UpdateStatusAsync<T>(
        this ResourceClient<T> client, T startFrom, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(startFrom);
        return UpdateAsync(
            client, NamespacedName.Of(startFrom), mutate, (c, obj, ct) => c.ReplaceStatusAsync(obj, ct), cancellationToken, Clone(startFrom));
    }

    /// <summary>A deep copy through the JSON form, so a mutation never touches a cached instance.</summary>
    public static T Clone<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
    }

    private static async Task<T?> UpdateAsync<T>(
        ResourceClient<T> client,
        NamespacedName key,
        Func<T, bool> mutate,
        Func<ResourceClient<T>, T, CancellationToken, Task<T>> write,
        CancellationToken cancellationToken,
        T? firstCopy = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var current = attempt == 1 && firstCopy is not null
                    ? firstCopy
                    : await client.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                if (!mutate(current))
                {
                    return current;
                }

                return await write(client, current, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when ((e.IsConflict || e.IsTransient) && attempt < MaxAttempts)
            {
                await Task.Delay(s_backoff.GetDelayWithJitter(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
