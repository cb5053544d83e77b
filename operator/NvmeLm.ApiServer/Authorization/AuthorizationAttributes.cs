using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// What an authorizer decides on (kube's authorizer.Attributes, filled as k8s.io/apiserver's RequestInfoFactory
/// fills them): the user; for a resource request the verb (get, list, watch, create, update, patch, delete,
/// deletecollection), API group and version, resource, subresource, namespace and name; otherwise the
/// lower-cased HTTP method and the path.
/// </summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string ApiGroup,
    string ApiVersion,
    string Resource,
    string Subresource,
    string Namespace,
    string Name,
    string Path)
{
    /// <summary>
    /// The attributes of an HTTP request. Two kube rules beyond the URL: a namespace's own URL is in that
    /// namespace (<c>/api/v1/namespaces/foo</c> has namespace <c>foo</c>), and a list or watch whose field
    /// selector pins <c>metadata.name</c> carries that name, so a <c>resourceNames</c> rule can allow an
    /// informer of one object.
    /// </summary>
    public static AuthorizationAttributes For(UserInfo user, RequestAttributes request, string? fieldSelector)
    {
        if (!request.IsResourceRequest)
        {
            return new AuthorizationAttributes(user, request.Verb, false, "", "", "", "", "", "", request.Path);
        }
        string verb = request.Verb;
        string name = request.Name ?? "";
        if (verb == "head")
        {
            verb = name.Length == 0 ? "list" : "get";
        }
        if (name.Length == 0 && verb is "list" or "watch" && NameFromFieldSelector(fieldSelector) is string selected)
        {
            name = selected;
        }
        string namespaceName = request.Namespace ?? "";
        if (namespaceName.Length == 0 && request.Group.Length == 0 && request.Resource == "namespaces")
        {
            namespaceName = request.Name ?? "";
        }
        return new AuthorizationAttributes(user, verb, true, request.Group, request.Version, request.Resource,
            request.Subresource ?? "", namespaceName, name, request.Path);
    }

    /// <summary>apimachinery's <c>RequiresExactMatch("metadata.name")</c>: the value of a <c>metadata.name=</c> or <c>==</c> term.</summary>
    private static string? NameFromFieldSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return null;
        }
        foreach (string term in selector.Split(','))
        {
            string trimmed = term.Trim();
            foreach (string op in new[] { "metadata.name==", "metadata.name=" })
            {
                if (trimmed.StartsWith(op, StringComparison.Ordinal) && trimmed.Length > op.Length)
                {
                    return trimmed[op.Length..];
                }
            }
        }
        return null;
    }
}
