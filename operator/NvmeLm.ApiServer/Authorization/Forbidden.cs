using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// The 403 kube-apiserver answers when authorization denies a request
/// (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go Forbidden, apimachinery's NewForbidden).
/// </summary>
public static class Forbidden
{
    /// <summary>
    /// E.g. <c>secrets "s" is forbidden: User "u" cannot get resource "secrets" in API group "" in the namespace "ns"</c>,
    /// <c>… at the cluster scope</c>, or <c>forbidden: User "u" cannot get path "/api"</c>; the authorizer's reason, if any, after a colon.
    /// </summary>
    public static ApiException For(AuthorizationAttributes request, string reason)
    {
        string message = Describe(request);
        if (reason.Length > 0)
        {
            message += ": " + reason;
        }
        string qualifiedResource = request.ApiGroup.Length == 0 ? request.Resource : $"{request.Resource}.{request.ApiGroup}";
        string text = qualifiedResource.Length == 0 ? $"forbidden: {message}"
            : request.Name.Length == 0 ? $"{qualifiedResource} is forbidden: {message}"
            : $"{qualifiedResource} \"{request.Name}\" is forbidden: {message}";
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }
        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }
        if (request.Resource.Length > 0)
        {
            details["kind"] = request.Resource;
        }
        return new ApiException(403, "Forbidden", text, details);
    }

    private static string Describe(AuthorizationAttributes request)
    {
        string user = request.User.Name;
        if (!request.IsResourceRequest)
        {
            return $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        }
        string resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return request.Namespace.Length > 0
            ? $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" in the namespace \"{request.Namespace}\""
            : $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" at the cluster scope";
    }
}
