using NvmeLm.Hardware.Emulated;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// A host whose one PF (<see cref="StepFixture.Source"/>, /dev/nvme0) behaves like Debian 12's QEMU 7.2 in the e2e guest:
/// OACS bit 7 clear (0x010a there) yet CNS 0x14/0x15 and Virtualization Management work; 4 VFs, VQFRT 8, VIFRT 4;
/// no live migration. VQFRSM 4 (QEMU's <c>sriov_max_vq_per_vf</c>) so a request can over-commit the pool.
/// </summary>
internal static class Qemu72Host
{
    public static EmulatedHostConfig Config(bool oacsBit7 = false) => new()
    {
        Drivers =
        [
            new EmulatedDriverConfig { Name = "nvme" },
            new EmulatedDriverConfig { Name = "vfio-pci", Vfio = true },
        ],
        PhysicalFunctions =
        [
            new EmulatedPfConfig
            {
                Address = StepFixture.Source.ToString(),
                NvmeInstance = 0,
                Serial = "QEMU72",
                TotalVfs = 4,
                VqFlexibleTotal = 8,
                ViFlexibleTotal = 4,
                MaxVqPerSecondary = 4,
                MaxViPerSecondary = 1,
                OacsVirtualizationManagementBit = oacsBit7,
            },
        ],
    };
}
