using System.Net;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>A non-success answer of the API server, with its HTTP status and the <c>Status</c> object it sent.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, string method, string path, V1Status? status, string? body)
        : base(FormatMessage(statusCode, method, path, status, body))
    {
        StatusCode = statusCode;
        Status = status;
        Method = method;
        Path = path;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>Status</c> body, when the server sent one.</summary>
    public V1Status? Status { get; }

    public string Method { get; }

    public string Path { get; }

    /// <summary>The <c>Status.reason</c> (for example <c>Conflict</c>, <c>Expired</c>, <c>NotFound</c>).</summary>
    public string? Reason => Status?.Reason;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>410 Gone: the resourceVersion asked for is older than the server keeps; the caller must re-list.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    /// <summary>Errors that are worth retrying as they are (throttling, server trouble, timeouts).</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static string FormatMessage(HttpStatusCode statusCode, string method, string path, V1Status? status, string? body)
    {
        var detail = status?.Message ?? body;
        if (detail is { Length: > 500 })
        {
            detail = detail[..500] + "…";
        }

        return $"{method} {path} answered {(int)statusCode} {status?.Reason ?? statusCode.ToString()}: {detail}";
    }
}
