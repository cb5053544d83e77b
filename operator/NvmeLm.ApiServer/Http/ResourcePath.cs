namespace NvmeLm.ApiServer.Http;

/// <summary>
/// A parsed resource URL: <c>/api/v1/…</c> or <c>/apis/{group}/{version}/…</c>, optionally with the legacy
/// <c>watch/</c> prefix, then <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>. Namespaces
/// themselves (<c>/api/v1/namespaces/{name}[/status|/finalize]</c>) are told apart by shape.
/// </summary>
public sealed record ResourcePath(string Group, string Version, string Resource, string? Namespace, string? Name, string? Subresource, bool WatchPrefix)
{
    public static ResourcePath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        int i;
        string group;
        string version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            group = "";
            version = segments[1];
            i = 2;
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            group = segments[1];
            version = segments[2];
            i = 3;
        }
        else
        {
            return null;
        }
        bool watch = false;
        if (segments[i] == "watch")
        {
            watch = true;
            i++;
        }
        var rest = segments[i..];
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        return rest.Length switch
        {
            1 => new ResourcePath(group, version, rest[0], ns, null, null, watch),
            2 => new ResourcePath(group, version, rest[0], ns, rest[1], null, watch),
            3 => new ResourcePath(group, version, rest[0], ns, rest[1], rest[2], watch),
            _ => null,
        };
    }
}
