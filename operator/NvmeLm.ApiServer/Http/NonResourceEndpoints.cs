using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Http.OpenApi;

namespace NvmeLm.ApiServer.Http;

/// <summary>Everything that is not a resource: /version, health, discovery roots and OpenAPI.</summary>
public sealed class NonResourceEndpoints
{
    private readonly Discovery _discovery;
    private readonly AggregatedDiscovery _aggregated;
    private readonly OpenApiV3 _openApi;
    private readonly OpenApiV2 _openApiV2;

    public NonResourceEndpoints(Discovery discovery, AggregatedDiscovery aggregated, OpenApiV3 openApi, OpenApiV2 openApiV2)
    {
        _discovery = discovery;
        _aggregated = aggregated;
        _openApi = openApi;
        _openApiV2 = openApiV2;
    }

    public async Task<int> ServeAsync(HttpContext context, string path)
    {
        if (context.Request.Method != "GET")
        {
            throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["api"] or ["apis"] && AggregatedDiscovery.IsRequested(context.Request.Headers.Accept.ToString()))
        {
            await JsonResponse.WriteAsync(context, 200, _aggregated.List(core: segments[0] == "api"), context.RequestAborted, AggregatedDiscovery.ContentType);
            return 200;
        }
        if (segments is ["openapi", "v2"] or ["swagger.json"])
        {
            bool protobuf = OpenApiV2.WantsProtobuf(context.Request.Headers.Accept.ToString());
            byte[] document = protobuf ? _openApiV2.Protobuf : _openApiV2.Json;
            context.Response.StatusCode = 200;
            context.Response.ContentType = protobuf ? OpenApiV2.ProtobufContentType : JsonResponse.ContentType;
            context.Response.ContentLength = document.Length;
            await context.Response.Body.WriteAsync(document, context.RequestAborted);
            return 200;
        }
        JsonNode? body = segments switch
        {
            ["version"] => Discovery.Version(),
            ["healthz" or "readyz" or "livez", ..] => null,
            ["api"] => _discovery.CoreVersions($"{context.Request.Host}"),
            ["api", var version] => _discovery.Resources("", version),
            ["apis"] => _discovery.Groups(),
            ["apis", var group] => _discovery.Group(group),
            ["apis", var group, var version] => _discovery.Resources(group, version),
            ["openapi", "v3"] => _openApi.Index(),
            ["openapi", "v3", .. var rest] => _openApi.Document(string.Join('/', rest)),
            _ => null,
        };
        if (segments is ["healthz" or "readyz" or "livez", ..])
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return 200;
        }
        if (body is null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        await JsonResponse.WriteAsync(context, 200, body, context.RequestAborted);
        return 200;
    }
}
