using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using NvmeLm.Kube.Client;
using Polly;
using Polly.Retry;

namespace NvmeLm.Kube.Resources;

/// <summary>
/// Read–modify–write with optimistic concurrency: read the object, apply a mutation, PUT it with the
/// resourceVersion that was read; on 409 Conflict (or a transient 429/5xx) read again and re-apply the
/// mutation, with back-off, up to <see cref="MaxAttempts"/>. The mutation must be a pure function of the
/// object it is given, since it may run several times. Every method here describes one attempt; when to try
/// again is the one Polly retry policy below.
/// </summary>
public static class ObjectUpdater
{
    /// <summary>Attempts before the last conflict is thrown.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Set by an attempt of <see cref="UpdateSpecAsync{T}"/> whose 422 came from a stale copy (a failed test), not an invalid spec.</summary>
    private static readonly ResiliencePropertyKey<bool> s_staleCopy = new("nvmelm.objectupdater.stale-copy");

    /// <summary>
    /// 409 Conflict and transient errors (429, 5xx) are tried again after a capped exponential back-off with jitter
    /// (10 ms doubling to 1 s), and a stale copy's 422 at once (waiting would not make the copy fresher), up to
    /// <see cref="MaxAttempts"/> attempts in all; anything else, and the last failure, is thrown as it came.
    /// </summary>
    private static readonly ResiliencePipeline s_retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is KubeApiException e
                && (e.IsConflict || e.IsTransient || (e.StatusCode == HttpStatusCode.UnprocessableEntity && IsStaleCopy(args.Context)))),
            MaxRetryAttempts = MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromSeconds(1),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(IsStaleCopy(args.Context) ? TimeSpan.Zero : null),
        })
        .Build();

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
    /// Like <see cref="UpdateAsync{T}(ResourceClient{T}, NamespacedName, Func{T, bool}, CancellationToken)"/>, but the first
    /// attempt starts from <paramref name="startFrom"/> (cloned, never changed) and so costs no GET; a 409 reads the
    /// object again. A copy that needs no change is taken at its word: for a caller that decided on that very copy.
    /// </summary>
    public static Task<T?> UpdateAsync<T>(
        this ResourceClient<T> client, T startFrom, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateFromCopyAsync(client, startFrom, mutate, (c, obj, ct) => c.ReplaceAsync(obj, ct), cancellationToken);

    /// <summary>
    /// Like <see cref="UpdateStatusAsync{T}(ResourceClient{T}, NamespacedName, Func{T, bool}, CancellationToken)"/>,
    /// but the first attempt starts from <paramref name="startFrom"/> (typically the informer's cached copy,
    /// which is cloned, never changed) and so costs no GET; only a 409 makes it read the object again.
    /// </summary>
    public static Task<T?> UpdateStatusAsync<T>(
        this ResourceClient<T> client, T startFrom, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        UpdateFromCopyAsync(client, startFrom, mutate, (c, obj, ct) => c.ReplaceStatusAsync(obj, ct), cancellationToken);

    private static Task<T?> UpdateFromCopyAsync<T>(
        ResourceClient<T> client, T startFrom, Func<T, bool> mutate, Func<ResourceClient<T>, T, CancellationToken, Task<T>> write,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(startFrom);
        return UpdateAsync(client, NamespacedName.Of(startFrom), mutate, write, cancellationToken, Clone(startFrom));
    }

    /// <summary>
    /// Updates <c>spec</c> only, with optimistic concurrency on the spec alone: a JSON Patch that tests
    /// <c>metadata.uid</c> and <c>metadata.generation</c> (bumped by the API server on every spec change and never by a
    /// status write) and replaces <c>/spec</c>. So a controller that shares the object with a status writer (the
    /// operator and a node agent on one NvmeNode) neither conflicts with nor overwrites it, and starting from
    /// <paramref name="startFrom"/> (a cached copy, cloned) costs no GET. A stale copy fails the test (422): the object is
    /// read again and the mutation re-applied, up to <see cref="MaxAttempts"/>; a 422 on a copy that was not stale is an
    /// invalid spec and is thrown at once. A copy that needs no change is confirmed against the stored object (one
    /// GET) before nothing is written. Conflicts and transient errors are retried with back-off.
    /// Returns the object as stored (unchanged when <paramref name="mutate"/> returns false), or null when it is gone.
    /// </summary>
    public static Task<T?> UpdateSpecAsync<T>(
        this ResourceClient<T> client, NamespacedName key, T? startFrom, Func<T, bool> mutate, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mutate);
        // The copy the next attempt starts from: the caller's (cloned), then the stored object a stale-copy 422 read.
        var copy = startFrom is null ? null : Clone(startFrom);
        return RetryAsync(async context =>
        {
            var token = context.CancellationToken;
            context.Properties.Set(s_staleCopy, false);
            var fromCopy = copy is not null;
            var current = copy ?? await client.TryGetAsync(key, token).ConfigureAwait(false);
            copy = null;
            if (current is null)
            {
                return null;
            }

            if (!mutate(current))
            {
                if (!fromCopy)
                {
                    return current;
                }

                // Nothing to write according to the copy: confirm that on the stored object, since a stale copy
                // must not make an edit look done (or refused).
                current = await client.TryGetAsync(key, token).ConfigureAwait(false);
                if (current is null || !mutate(current))
                {
                    return current;
                }
            }

            var (uid, generation) = (current.Metadata.Uid, current.Metadata.Generation);
            try
            {
                return await client.JsonPatchAsync(key, ReplaceMemberPatch(current, "spec", testGeneration: true), token).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                // A failed test (the copy was stale) or an invalid spec: the stored object tells which. A stale copy
                // is retried from the stored object; an invalid spec is thrown at once.
                var stored = await client.TryGetAsync(key, token).ConfigureAwait(false);
                if (stored is null)
                {
                    return null;
                }

                if (stored.Metadata.Uid != uid || stored.Metadata.Generation != generation)
                {
                    copy = stored;
                    context.Properties.Set(s_staleCopy, true);
                }

                throw;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Sets the whole <c>status</c> of <paramref name="obj"/> through the status subresource with a JSON Patch that
    /// tests only <c>metadata.uid</c> (never a recreated object's). For the sole writer of a status, such as a node
    /// agent on its own NvmeNode: it needs no optimistic concurrency, and a resourceVersion-checked PUT would conflict
    /// with every spec write of the controller sharing the object. Transient errors (and a 409, which a patch without a
    /// precondition only meets from a server under stress) are retried with back-off, up to <see cref="MaxAttempts"/>.
    /// Returns the object as stored.
    /// </summary>
    public static Task<T> SetStatusAsync<T>(this ResourceClient<T> client, T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(obj);
        var patch = ReplaceMemberPatch(obj, "status", testGeneration: false);
        return RetryAsync(context => client.JsonPatchAsync(NamespacedName.Of(obj), patch, context.CancellationToken, "status"), cancellationToken);
    }

    /// <summary>
    /// A JSON Patch that tests <c>metadata.uid</c> (and <c>metadata.generation</c> with <paramref name="testGeneration"/>)
    /// and then sets the whole top-level <paramref name="member"/> of <paramref name="obj"/> (<c>add</c> replaces a member
    /// that exists and creates one that does not).
    /// </summary>
    private static string ReplaceMemberPatch<T>(T obj, string member, bool testGeneration)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // The member is copied from the serialized object as a document element, not through a mutable tree: every
        // status an agent writes and every spec the operator writes passes here.
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(obj));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("op", "test");
            writer.WriteString("path", "/metadata/uid");
            writer.WriteString("value", obj.Metadata.Uid);
            writer.WriteEndObject();
            if (testGeneration)
            {
                writer.WriteStartObject();
                writer.WriteString("op", "test");
                writer.WriteString("path", "/metadata/generation");
                writer.WritePropertyName("value");
                if (obj.Metadata.Generation is long generation)
                {
                    writer.WriteNumberValue(generation);
                }
                else
                {
                    writer.WriteNullValue();
                }

                writer.WriteEndObject();
            }

            writer.WriteStartObject();
            writer.WriteString("op", "add");
            writer.WriteString("path", "/" + member);
            writer.WritePropertyName("value");
            if (document.RootElement.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A deep copy through the JSON form, so a mutation never touches a cached instance.</summary>
    public static T Clone<T>(T obj)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
    }

    private static Task<T?> UpdateAsync<T>(
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
        return RetryAsync<T?>(async context =>
        {
            var current = firstCopy ?? await client.TryGetAsync(key, context.CancellationToken).ConfigureAwait(false);
            // Only the first attempt may start from the copy: a retry follows a conflict, so it reads the object again.
            firstCopy = null;
            if (current is null)
            {
                return null;
            }

            return mutate(current) ? await write(client, current, context.CancellationToken).ConfigureAwait(false) : current;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="attempt"/> under <see cref="s_retry"/>; the context carries the token and the stale-copy flag.</summary>
    private static async Task<TResult> RetryAsync<TResult>(Func<ResilienceContext, Task<TResult>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await s_retry.ExecuteAsync(static async (context, attempt) => await attempt(context).ConfigureAwait(false), context, attempt)
                .ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsStaleCopy(ResilienceContext context) =>
        context.Properties.TryGetValue(s_staleCopy, out var stale) && stale;
}
