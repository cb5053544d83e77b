using System.Globalization;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// The environment variables a container gets for its VFs. Both carry the allocated PCI addresses, comma-separated.
/// </summary>
public static class ResourceEnvironment
{
    /// <summary>What KubeVirt's virt-launcher reads for a <c>hostDevices</c> entry with <c>externalResourceProvider: true</c>.</summary>
    public const string KubeVirtPrefix = "PCI_RESOURCE_";

    /// <summary>What SR-IOV device plugin consumers read (sriov-network-device-plugin <c>pkg/resources/server.go</c> getEnvs).</summary>
    public const string SriovPrefix = "PCIDEVICE_";

    /// <summary>
    /// The resource name as KubeVirt turns it into a variable name (<c>util.ResourceNameToEnvVar</c>, reference §1):
    /// upper case, <c>/</c> and <c>.</c> become <c>_</c>, hyphens are kept. The SR-IOV plugin's rule (prefix's dots to
    /// <c>_</c>, joined with <c>_</c>, upper case) gives the same name, so one rule serves both prefixes:
    /// <c>nvmelm.io/migratable-vf</c> → <c>NVMELM_IO_MIGRATABLE-VF</c>.
    /// </summary>
    public static string VariableName(string resourceName) =>
        resourceName.Replace('/', '_').Replace('.', '_').ToUpper(CultureInfo.InvariantCulture);

    public static string KubeVirtVariable(string resourceName) => KubeVirtPrefix + VariableName(resourceName);

    public static string SriovVariable(string resourceName) => SriovPrefix + VariableName(resourceName);
}
