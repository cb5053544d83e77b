using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>Raw HTTP against the server, for what the client library hides (status codes, Status bodies, content types).</summary>
public static class HttpHelpers
{
    /// <summary>A client whose bearer token is <paramref name="identity"/>; over TLS it trusts the server's self-signed certificate only.</summary>
    public static HttpClient Client(EmbeddedApiServer server, string identity = "admin")
    {
        var handler = new SocketsHttpHandler();
        if (server.ServingCertificate is { } certificate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();
        }
        var http = new HttpClient(handler) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", identity);
        return http;
    }

    public static StringContent Json(JsonNode body, string contentType = "application/json") =>
        new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue(contentType));

    public static async Task<(int Code, JsonObject Body)> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = Json(body, contentType);
        }
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }
}
