using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Identify CNS 0x14, Primary Controller Capabilities (reference §3 of the facts document).</summary>
[Description("Primary Controller Capabilities (Identify CNS 0x14): flexible VQ/VI resource accounting.")]
public sealed class PrimaryControllerCapabilities
{
    [Minimum(0)]
    [Maximum(65535)]
    [Description("CNTLID: controller id of the primary.")]
    public int ControllerId { get; set; }

    [Description("CRT bit 0: VQ resources are supported.")]
    public bool VqResourcesSupported { get; set; }

    [Description("CRT bit 1: VI resources are supported.")]
    public bool ViResourcesSupported { get; set; }

    [Minimum(0)]
    [Description("VQFRT: VQ flexible resources total.")]
    public long VqFlexibleTotal { get; set; }

    [Minimum(0)]
    [Description("VQRFA: VQ flexible resources assigned to secondaries.")]
    public long VqFlexibleAssigned { get; set; }

    [Minimum(0)]
    [Description("VQRFAP: VQ flexible resources allocated to the primary.")]
    public int VqFlexibleAllocatedToPrimary { get; set; }

    [Minimum(0)]
    [Description("VQPRT: VQ private resources total.")]
    public int VqPrivateTotal { get; set; }

    [Minimum(0)]
    [Description("VQFRSM: the most VQ flexible resources one secondary can have.")]
    public int VqFlexibleSecondaryMax { get; set; }

    [Minimum(0)]
    [Description("VQGRAN: preferred VQ allocation granularity.")]
    public int VqGranularity { get; set; }

    [Minimum(0)]
    [Description("VIFRT: VI flexible resources total.")]
    public long ViFlexibleTotal { get; set; }

    [Minimum(0)]
    [Description("VIRFA: VI flexible resources assigned to secondaries.")]
    public long ViFlexibleAssigned { get; set; }

    [Minimum(0)]
    [Description("VIRFAP: VI flexible resources allocated to the primary.")]
    public int ViFlexibleAllocatedToPrimary { get; set; }

    [Minimum(0)]
    [Description("VIPRT: VI private resources total.")]
    public int ViPrivateTotal { get; set; }

    [Minimum(0)]
    [Description("VIFRSM: the most VI flexible resources one secondary can have.")]
    public int ViFlexibleSecondaryMax { get; set; }

    [Minimum(0)]
    [Description("VIGRAN: preferred VI allocation granularity.")]
    public int ViGranularity { get; set; }
}
