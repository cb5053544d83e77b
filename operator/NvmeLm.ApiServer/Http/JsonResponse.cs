using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Http;

/// <summary>Writes JSON bodies the way kube-apiserver does (<c>application/json</c>, compact).</summary>
public static class JsonResponse
{
    public const string ContentType = "application/json";

    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = true };

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body, CancellationToken cancellationToken, string contentType = ContentType)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        var buffer = Serialize(body);
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// <paramref name="body"/> as compact UTF-8 JSON; an object the store published is encoded once for all its
    /// responses and watch events (<see cref="PublishedJson"/>), so the array must not be changed.
    /// </summary>
    public static byte[] Serialize(JsonNode body) => PublishedJson.Encode(body, Encode);

    private static byte[] Encode(JsonNode body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_writerOptions))
        {
            body.WriteTo(writer);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Reads at most <see cref="RequestLimits.MaxRequestBodyBytes"/>; one byte more is a 413, as kube-apiserver answers.
    /// The buffer starts at the declared length and the read chunk is pooled: a fresh 80 KiB chunk per request was
    /// 8% of the bytes the 100-node demo allocated (EventPipe allocation ticks), for bodies of a few KiB.
    /// </summary>
    private static async Task<MemoryStream> ReadLimitedAsync(Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(declaredLength is long length and > 0 and <= RequestLimits.MaxRequestBodyBytes ? (int)length : 0);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(chunk, cancellationToken);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == 413)
                {
                    // Kestrel's own (larger) cap, a backstop for bodies far over the limit.
                    await buffer.DisposeAsync();
                    throw RequestLimits.TooLarge();
                }
                if (read == 0)
                {
                    break;
                }
                if (buffer.Length + read > RequestLimits.MaxRequestBodyBytes)
                {
                    await buffer.DisposeAsync();
                    throw RequestLimits.TooLarge();
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Reads a request body; empty means null, bad JSON is a 400 like kube-apiserver's decoder error.</summary>
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string contentType = (request.ContentType ?? "").Split(';')[0].Trim();
        using var buffer = await ReadLimitedAsync(request.Body, request.ContentLength, cancellationToken);
        if (buffer.Length == 0)
        {
            return null;
        }
        if (contentType == Api.ResourceService.ApplyPatchType)
        {
            return YamlToJson.Convert(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        if (contentType == Protobuf.KubeProtobufDecoder.ContentType)
        {
            return Protobuf.KubeProtobufDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        if (contentType.Contains("cbor", StringComparison.Ordinal) || contentType.Contains("protobuf", StringComparison.Ordinal))
        {
            throw ApiException.UnsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: application/json");
        }
        try
        {
            return JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }
}
