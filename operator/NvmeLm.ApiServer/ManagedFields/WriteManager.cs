namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>Who writes: the field manager name (the <c>fieldManager</c> parameter or the user agent's prefix), the API version and subresource used.</summary>
public sealed record WriteManager(string Name, string ApiVersion, string? Subresource)
{
    /// <summary>kube's default manager: the user agent up to its first '/', printable characters only, at most 128 (apiserver <c>prefixFromUserAgent</c>).</summary>
    public static string FromUserAgent(string? userAgent)
    {
        string prefix = new((userAgent ?? "").Split('/')[0].Where(c => !char.IsControl(c)).ToArray());
        return prefix.Length > 128 ? prefix[..128] : prefix;
    }
}
