namespace NvmeLm.ApiServer.Http;

/// <summary>
/// Who asked for what, in Kubernetes terms (authorizer attributes): identity, verb
/// (get, list, watch, create, update, patch, delete, deletecollection), group/version/resource,
/// subresource, namespace and name. Non-resource requests (discovery, OpenAPI) have an empty resource
/// and their path.
/// </summary>
public sealed record RequestAttributes(
    string Identity,
    string Verb,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string Path)
{
    public bool IsResourceRequest => Resource.Length > 0;
}
