using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Audit;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Authorization;
using NvmeLm.ApiServer.Faults;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// The one HTTP entry point: authenticates the bearer token into a client identity, describes the
/// request in Kubernetes terms, authorizes it, applies injected faults, dispatches to discovery, OpenAPI,
/// access control's own endpoints or the resource endpoints, renders failures as Status objects, and
/// writes the audit record.
/// </summary>
public sealed class ApiRequestHandler
{
    public const string AnonymousIdentity = SystemUsers.Anonymous;

    private readonly ResourceEndpoints _resources;
    private readonly NonResourceEndpoints _nonResources;
    private readonly FaultInjector _faults;
    private readonly AuditLog _audit;
    private readonly AccessControl _access;

    public ApiRequestHandler(ResourceEndpoints resources, NonResourceEndpoints nonResources, FaultInjector faults, AuditLog audit, AccessControl access)
    {
        _resources = resources;
        _nonResources = nonResources;
        _faults = faults;
        _audit = audit;
        _access = access;
    }

    public async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string path = context.Request.Path.Value ?? "/";
        var resourcePath = ResourcePath.Parse(path);
        var query = QueryOptions.FromSafe(context.Request.Query);
        var attributes = Describe(context, AnonymousIdentity, path, resourcePath, query);
        int statusCode;
        try
        {
            var user = _access.Authenticate(context.Request);
            attributes = attributes with { Identity = user.Name };
            _access.Authorize(user, attributes, query.FieldSelector);
            using var remembered = _access.Remember(user);
            var fault = _faults.Evaluate(attributes);
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            if (fault.Fails && !fault.GoneOnWatch)
            {
                throw InjectedFailure(fault.StatusCode, attributes);
            }
            statusCode = resourcePath is null
                ? await _nonResources.ServeAsync(context, path)
                : await (_access.TryServe(context, resourcePath, user)
                    ?? _resources.ServeAsync(context, resourcePath, attributes.Verb, QueryOptions.From(context.Request.Query), fault.GoneOnWatch));
        }
        catch (ApiException e)
        {
            statusCode = e.Code;
            if (!context.Response.HasStarted)
            {
                if (e.Code == 429)
                {
                    context.Response.Headers.RetryAfter = "1";
                }
                await JsonResponse.WriteAsync(context, e.Code, e.ToStatus(), context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            statusCode = 499;
        }
        catch (Exception e)
        {
            // A bug in the server: answer like kube-apiserver's panic handler rather than with an empty 500.
            statusCode = 500;
            if (!context.Response.HasStarted)
            {
                var error = new ApiException(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}");
                await JsonResponse.WriteAsync(context, 500, error.ToStatus(), CancellationToken.None);
            }
        }
        if (context.Items[ResourceEndpoints.CreatedNameKey] is string createdName)
        {
            attributes = attributes with { Name = createdName };
        }
        _audit.Add(new AuditRecord(
            DateTimeOffset.UtcNow, attributes.Identity, attributes.Verb, attributes.Group, attributes.Resource, attributes.Subresource,
            attributes.Namespace, attributes.Name, statusCode, Stopwatch.GetElapsedTime(started), path));
    }

    private static RequestAttributes Describe(HttpContext context, string identity, string path, ResourcePath? resource, QueryOptions query)
    {
        if (resource is null)
        {
            return new RequestAttributes(identity, context.Request.Method.ToLowerInvariant(), "", "", "", null, null, null, path);
        }
        string verb = context.Request.Method switch
        {
            "GET" when resource.WatchPrefix || query.Watch => "watch",
            "GET" => resource.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => resource.Name is null ? "deletecollection" : "delete",
            _ => context.Request.Method.ToLowerInvariant(),
        };
        return new RequestAttributes(identity, verb, resource.Group, resource.Version, resource.Resource, resource.Subresource, resource.Namespace, resource.Name, path);
    }

    private static ApiException InjectedFailure(int statusCode, RequestAttributes request)
    {
        string target = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        return statusCode switch
        {
            409 => ApiException.StaleResourceVersion(target, request.Name ?? ""),
            429 => new ApiException(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later (injected)"),
            500 => new ApiException(500, "InternalError", "Internal error occurred: injected fault"),
            503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request (injected)"),
            _ => new ApiException(statusCode, "Unknown", $"injected fault {statusCode}"),
        };
    }
}
