using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>
/// Typed CRUD, list and watch for one kind, for built-in kinds and custom resources alike. It builds the URL
/// from <see cref="ResourceType"/> and sends through the shared <see cref="Kubernetes"/> instance's
/// HttpClient and credentials, so a process keeps one connection pool (csharp #1539: clients created
/// repeatedly leak handlers). With <typeparamref name="T"/> = <see cref="PartialObjectMetadata"/> and the
/// <see cref="ResourceType"/> of a kind (<c>ResourceType.Of&lt;V1Node&gt;()</c>), reads ask for metadata only, as
/// client-go's metadata client does.
/// </summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";
    private const string JsonPatchMediaType = "application/json-patch+json";

    private static readonly bool s_metadataOnly = typeof(T) == typeof(PartialObjectMetadata);

    private readonly Kubernetes _kubernetes;

    public ResourceClient(Kubernetes kubernetes, ResourceType? type = null)
    {
        _kubernetes = kubernetes ?? throw new ArgumentNullException(nameof(kubernetes));
        Type = type ?? ResourceType.Of<T>();
    }

    public ResourceType Type { get; }

    public async Task<ResourceList<T>> ListAsync(string? ns, ListOptions? options, CancellationToken cancellationToken)
    {
        var path = Type.Path(ns) + Query(options, watch: false);
        using var response = await SendAsync(HttpMethod.Get, path, content: null, cancellationToken, list: true).ConfigureAwait(false);
        return await ReadAsync<ResourceList<T>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams watch events until the server ends the watch or <paramref name="cancellationToken"/> fires.
    /// An <c>ERROR</c> line is yielded (not thrown) so the caller can tell 410 Gone from other errors.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = Type.Path(ns) + Query(options, watch: true);
        using var response = await SendAsync(HttpMethod.Get, path, content: null, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new Utf8LineReader(stream);
        while (true)
        {
            if (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } line)
            {
                yield break;
            }

            if (line.Count == 0)
            {
                continue;
            }

            // Parsed before the next read: the line's bytes are the reader's buffer.
            yield return WatchLineParser<T>.Parse(line);
        }
    }

    /// <summary>Reads one object, or null when it does not exist.</summary>
    public async Task<T?> TryGetAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<T> GetAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Type.Path(key.Namespace, key.Name), null, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> CreateAsync(T obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        FillTypeMeta(obj);
        using var response = await SendAsync(
            HttpMethod.Post, Type.Path(obj.Metadata?.NamespaceProperty), JsonBody(obj), cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT of the whole object; the server rejects it with 409 when <c>metadata.resourceVersion</c> is stale.</summary>
    public Task<T> ReplaceAsync(T obj, CancellationToken cancellationToken) => PutAsync(obj, subresource: null, cancellationToken);

    /// <summary>PUT to the <c>/status</c> subresource (only status is written), with the same optimistic concurrency.</summary>
    public Task<T> ReplaceStatusAsync(T obj, CancellationToken cancellationToken) => PutAsync(obj, "status", cancellationToken);

    /// <summary>JSON merge patch (RFC 7386) of the object or of a subresource.</summary>
    public async Task<T> PatchAsync(NamespacedName key, string mergePatchJson, CancellationToken cancellationToken, string? subresource = null)
    {
        var content = new StringContent(mergePatchJson, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(MergePatchMediaType);
        using var response = await SendAsync(HttpMethod.Patch, Type.Path(key.Namespace, key.Name, subresource), content, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// JSON Patch (RFC 6902) of the object or of a subresource. A failed <c>test</c> operation is answered 422
    /// Unprocessable Entity by kube-apiserver (kubernetes PR #68838), which is how a compare-and-set patch learns its
    /// copy was stale.
    /// </summary>
    public async Task<T> JsonPatchAsync(NamespacedName key, string jsonPatch, CancellationToken cancellationToken, string? subresource = null)
    {
        var content = new StringContent(jsonPatch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonPatchMediaType);
        using var response = await SendAsync(HttpMethod.Patch, Type.Path(key.Namespace, key.Name, subresource), content, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(NamespacedName key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, Type.Path(key.Namespace, key.Name), null, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private async Task<T> PutAsync(T obj, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        FillTypeMeta(obj);
        var key = NamespacedName.Of(obj);
        using var response = await SendAsync(
            HttpMethod.Put, Type.Path(key.Namespace, key.Name, subresource), JsonBody(obj), cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private void FillTypeMeta(T obj)
    {
        // Objects built in code often leave apiVersion/kind empty; the API server requires them.
        if (string.IsNullOrEmpty(obj.ApiVersion))
        {
            obj.ApiVersion = Type.ApiVersion;
        }

        if (string.IsNullOrEmpty(obj.Kind))
        {
            obj.Kind = Type.Kind;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool list = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(_kubernetes.BaseUri.ToString().TrimEnd('/') + "/" + path));
        request.Content = content;
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(
            !s_metadataOnly ? JsonMediaType : list ? PartialObjectMetadata.ListMediaType : PartialObjectMetadata.ObjectMediaType));
        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // ResponseHeadersRead: a watch body is an endless stream and must not be buffered.
        var response = await _kubernetes.HttpClient
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubeApiException(response.StatusCode, method.Method, path, TryParseStatus(body), body);
        }
    }

    private static HttpContent JsonBody(T obj)
    {
        var content = new StringContent(KubernetesJson.Serialize(obj), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
        return content;
    }

    private static async Task<TResult> ReadAsync<TResult>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<TResult>(stream)
            ?? throw new InvalidOperationException($"The API server answered {(int)response.StatusCode} with an empty body.");
    }

    private static V1Status? TryParseStatus(string body)
    {
        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(body);
            return status?.Kind == "Status" ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Query(ListOptions? options, bool watch)
    {
        var parts = new List<string>();
        if (watch)
        {
            parts.Add("watch=true");
        }

        if (options is not null)
        {
            AddPart(parts, "fieldSelector", options.FieldSelector);
            AddPart(parts, "labelSelector", options.LabelSelector);
            AddPart(parts, "resourceVersion", options.ResourceVersion);
            if (watch && options.AllowWatchBookmarks)
            {
                parts.Add("allowWatchBookmarks=true");
            }

            if (options.TimeoutSeconds is { } timeout)
            {
                parts.Add("timeoutSeconds=" + timeout.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static void AddPart(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
