using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Faults;

/// <summary>Which requests a fault applies to; a null field matches anything.</summary>
public sealed record RequestMatch(
    string? Verb = null,
    string? Resource = null,
    string? Group = null,
    string? Namespace = null,
    string? Name = null,
    string? Subresource = null,
    string? Identity = null)
{
    public static RequestMatch Any { get; } = new();

    public bool Matches(RequestAttributes request) =>
        request.IsResourceRequest
        && (Verb is null || Verb == request.Verb)
        && (Resource is null || Resource == request.Resource)
        && (Group is null || Group == request.Group)
        && (Namespace is null || Namespace == request.Namespace)
        && (Name is null || Name == request.Name)
        && (Subresource is null || Subresource == request.Subresource)
        && (Identity is null || Identity == request.Identity);
}
