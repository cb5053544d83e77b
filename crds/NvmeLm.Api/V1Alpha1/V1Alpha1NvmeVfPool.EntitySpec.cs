using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

public sealed partial class V1Alpha1NvmeVfPool
{
    [Description("Desired provisioning of the selected PFs.")]
    [ValidationRule("!has(self.queues) || self.queues >= 2", "queues must be at least 2 (one admin and one I/O queue) when set", FieldPath = ".queues")]
    public sealed class EntitySpec
    {
        [Description("Label selector (matchLabels form) for the nodes this pool applies to; empty or absent selects every node that runs the node agent.")]
        public Dictionary<string, string>? NodeSelector { get; set; }

        [Description("Which NVMe PFs (primary controllers) on the selected nodes the pool provisions; absent selects every PF whose primary supports Virtualization Management.")]
        public ControllerSelector? ControllerSelector { get; set; }

        [Required]
        [Minimum(1)]
        [Maximum(255)]
        [Description("Number of VFs (secondary controllers) to enable on each selected PF (sriov_numvfs). Changing it goes through 0 first, so it is refused while VFs of the PF are in use.")]
        public int NumVfs { get; set; }

        [Minimum(1)]
        [Maximum(65535)]
        [Description("Flexible VQ (queue) resources to assign to each secondary controller with Virtualization Management; at least 2 (admin + one I/O queue). Absent keeps the device's assignment.")]
        public int? Queues { get; set; }

        [Minimum(1)]
        [Maximum(65535)]
        [Description("Flexible VI (interrupt) resources to assign to each secondary controller; absent keeps the device's assignment.")]
        public int? Interrupts { get; set; }

        [Default(NvmeLmApi.DefaultVfioDriver)]
        [Pattern(ApiPatterns.DriverName)]
        [Description("Driver VFs are bound to before they are handed to a VM: vfio-pci, or a VFIO variant driver the host provides.")]
        public string VfioDriver { get; set; } = NvmeLmApi.DefaultVfioDriver;

        [Default(NvmeLmApi.DefaultResourceName)]
        [Pattern(ApiPatterns.ExtendedResourceName)]
        [MaxLength(ApiPatterns.Dns1123SubdomainMaxLength)]
        [Description("Extended resource name the device plugin advertises the pool's VFs under (pods and KubeVirt hostDevices request it).")]
        public string ResourceName { get; set; } = NvmeLmApi.DefaultResourceName;
    }
}
