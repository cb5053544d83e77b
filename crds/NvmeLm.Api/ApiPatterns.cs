namespace NvmeLm.Api;

/// <summary>
/// Regular expressions the CRD schemas enforce. Each is anchored and written in the RE2 subset that
/// kube-apiserver accepts for OpenAPI <c>pattern</c>.
/// </summary>
public static class ApiPatterns
{
    /// <summary>
    /// A PCI function address in sysfs form, lower-case hex (DESIGN §5). Must equal
    /// <c>NvmeLm.Hardware.PciAddress.Pattern</c>; a test keeps them the same (Api must not depend on Hardware).
    /// </summary>
    public const string PciAddress = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$";

    /// <summary>A Kubernetes node name: a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.').</summary>
    public const string NodeName = Dns1123Subdomain;

    /// <summary>DNS-1123 subdomain, the rule for most object names (Secrets, VMIs, NvmeMigrations); at most 253 characters.</summary>
    public const string Dns1123Subdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>DNS-1123 label (at most 63 characters): used for operation ids.</summary>
    public const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A PCI vendor or device id as sysfs prints it, e.g. <c>0x1b36</c>.</summary>
    public const string PciId = "^0x[0-9a-f]{4}$";

    /// <summary>A lower-case hex SHA-256 digest.</summary>
    public const string Sha256 = "^[0-9a-f]{64}$";

    /// <summary>A Linux kernel driver name such as <c>vfio-pci</c> or <c>nvme</c>.</summary>
    public const string DriverName = "^[a-zA-Z0-9_.-]{1,64}$";

    /// <summary>An extended resource name with a domain prefix, e.g. <c>nvmelm.io/migratable-vf</c>.</summary>
    public const string ExtendedResourceName = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$";

    /// <summary>A UUID in RFC 4122 text form, lower-case.</summary>
    public const string Uuid = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    /// <summary>An object UID as the API server assigns it (a UUID).</summary>
    public const string Uid = Uuid;

    /// <summary>Maximum length of a DNS-1123 subdomain.</summary>
    public const int Dns1123SubdomainMaxLength = 253;

    /// <summary>Maximum length of a DNS-1123 label.</summary>
    public const int Dns1123LabelMaxLength = 63;
}
