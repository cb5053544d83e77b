using System.Text.Json;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// What the emulated host contains: NVMe PFs, the PCI drivers that are loaded, and mounted filesystems.
/// Loaded from a small JSON file (format in Emulated/README.md, example in sample-host.json) or built in code.
/// <see cref="Validate"/> rejects anything inconsistent with a clear message before a host is built.
/// </summary>
public sealed class EmulatedHostConfig
{
    public IReadOnlyList<EmulatedPfConfig> PhysicalFunctions { get; set; } = [];

    /// <summary>Loaded PCI drivers; empty = <c>nvme</c> and <c>vfio-pci</c>.</summary>
    public IReadOnlyList<EmulatedDriverConfig> Drivers { get; set; } = [];

    public IReadOnlyList<EmulatedMountConfig> Mounts { get; set; } = [];

    /// <summary>An IOMMU is present (intel_iommu=on); without it vfio drivers fail to probe with EINVAL (lab: "no IOMMU means no vfio-pci").</summary>
    public bool Iommu { get; set; } = true;

    internal IReadOnlyList<EmulatedDriverConfig> EffectiveDrivers => Drivers.Count > 0
        ? Drivers
        : [new EmulatedDriverConfig { Name = EmulatedPciFunction.NvmeDriver }, new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true }];

    public static EmulatedHostConfig Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulatedConfigException($"emulated host config '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    public static EmulatedHostConfig Parse(string json, string source = "<inline>")
    {
        EmulatedHostConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, EmulatedJsonContext.Default.EmulatedHostConfig);
        }
        catch (JsonException e)
        {
            throw new EmulatedConfigException($"emulated host config '{source}' is not valid: {e.Message}", e);
        }

        if (config is null)
        {
            throw new EmulatedConfigException($"emulated host config '{source}' is empty (null)");
        }

        config.Validate(source);
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, EmulatedJsonContext.Default.EmulatedHostConfig);

    /// <summary>Throws <see cref="EmulatedConfigException"/> naming the first inconsistent field.</summary>
    public void Validate(string source = "<inline>") => EmulatedHostConfigValidator.Validate(this, source);
}
