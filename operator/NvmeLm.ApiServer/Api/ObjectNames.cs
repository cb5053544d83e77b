using System.Text.RegularExpressions;

namespace NvmeLm.ApiServer.Api;

/// <summary>apimachinery's name rules: DNS-1123 subdomains for most objects, labels for namespaces, path segments for RBAC objects.</summary>
public static partial class ObjectNames
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>
    /// The rule kube validates <paramref name="type"/>'s names with: namespaces are labels; roles and bindings only
    /// need to be path segments (ValidateRBACName, so <c>system:discovery</c> is a name); everything else is a subdomain.
    /// </summary>
    public static string? ErrorFor(Resources.ResourceType type, string name) => type switch
    {
        { Group: "", Plural: "namespaces" } => LabelError(name),
        { Group: "rbac.authorization.k8s.io" } => PathSegmentError(name),
        _ => SubdomainError(name),
    };

    /// <summary>apimachinery's IsValidPathSegmentName.</summary>
    public static string? PathSegmentError(string name) =>
        name is "." or ".." ? $"may not be '{name}'"
        : name.Contains('/', StringComparison.Ordinal) ? "may not contain '/'"
        : name.Contains('%', StringComparison.Ordinal) ? "may not contain '%'"
        : null;

    public static string? SubdomainError(string name)
    {
        if (name.Length > 253)
        {
            return "must be no more than 253 characters";
        }
        return Subdomain().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }

    public static string? LabelError(string name)
    {
        if (name.Length > 63)
        {
            return "must be no more than 63 characters";
        }
        return Label().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    }

    /// <summary>generateName plus five random characters, as the name generator of apiserver's storage does.</summary>
    public static string Generate(string prefix)
    {
        Span<char> suffix = stackalloc char[5];
        for (int i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
        return prefix + new string(suffix);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
