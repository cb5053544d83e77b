using NvmeLm.E2E.Tests.CrossCheck;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// The cross-check's comparison rules on nvme-cli 2.3 / sysfs text as the QEMU guest printed it (trimmed to
/// one secondary), and an agent inventory shaped like node-agent's Output views.
/// </summary>
public sealed class InventoryCrossCheckTests
{
    private const string IdCtrl = """
        { "vid":6966, "ssvid":6900, "sn":"deadbeef            ", "mn":"QEMU NVMe Ctrl                          ",
          "fr":"7.2.22  ", "cmic":2, "cntlid":0, "ver":66560, "cntrltype":1, "oacs":266, "rab":6 }
        """;

    private const string PrimaryCaps = """
        { "cntlid":0, "portid":0, "crt":3, "vqfrt":8, "vqrfa":2, "vqrfap":0, "vqprt":3, "vqfrsm":2, "vqgran":1,
          "vifrt":4, "virfa":1, "virfap":0, "viprt":2, "vifrsm":1, "vigran":1 }
        """;

    private const string SecondaryList = """
        { "num":1, "secondary-controllers":[ { "secondary-controller-identifier":1, "primary-controller-identifier":0,
          "secondary-controller-state":1, "virtual-function-number":1, "num-virtual-queues":2, "num-virtual-interrupts":1 } ] }
        """;

    private const string Sysfs = """
        pf=0000:01:00.0
        ctrl=/dev/nvme0
        vendor=0x1b36
        device=0x0010
        class=0x010802
        sriov_totalvfs=4
        sriov_numvfs=1
        sriov_offset=1
        sriov_stride=1
        sriov_vf_device=10
        sriov_drivers_autoprobe=0
        driver=nvme
        iommu_group=3
        vf.0=0000:01:00.1 driver=vfio-pci iommu_group=4
        """;

    private const string Agent = """
        { "hardware":"linux", "physicalFunctions":[ {
          "address":"0000:01:00.0", "vendorId":6966, "deviceId":16, "classCode":67586, "driver":"nvme", "iommuGroup":3,
          "controllerDevice":"/dev/nvme0",
          "sriov":{ "totalVfs":4, "numVfs":1, "offset":1, "stride":1, "vfDeviceId":16, "driversAutoprobe":false },
          "idCtrl":{ "vid":6966, "ssvid":6900, "sn":"deadbeef", "mn":"QEMU NVMe Ctrl", "fr":"7.2.22", "cmic":2, "cntlid":0,
                     "ver":66560, "cntrltype":1, "oacs":266 },
          "oacsBits":{ "virtualizationManagement":false, "hostManagedLiveMigration":false },
          "primaryCtrlCaps":{ "cntlid":0, "portid":0, "crt":3, "vqfrt":8, "vqrfa":2, "vqrfap":0, "vqprt":3, "vqfrsm":2,
                              "vqgran":1, "vifrt":4, "virfa":1, "virfap":0, "viprt":2, "vifrsm":1, "vigran":1 },
          "secondaryControllers":[ { "secondary-controller-identifier":1, "primary-controller-identifier":0,
            "secondary-controller-state":1, "virtual-function-number":1, "num-virtual-queues":2, "num-virtual-interrupts":1,
            "online":true, "virtfn":0, "vfAddress":"0000:01:00.1", "vfEnabled":true, "driver":"vfio-pci",
            "driverOverride":null, "iommuGroup":4 } ] } ] }
        """;

    [Fact]
    public void Compare_Should_FindNoMismatch_When_AgentAgreesUpToNvmePadding()
    {
        var result = InventoryCrossCheck.Compare(Agent, IdCtrl, PrimaryCaps, SecondaryList, SysfsFacts.Parse(Sysfs));

        Assert.Empty(result.Mismatches);
        // 10 id-ctrl + 15 caps + count + 6 secondary + online + vfEnabled/address/driver/group + 2 OACS bits + 12 sysfs.
        Assert.Equal(51, result.Compared.Count);
    }

    [Theory]
    [InlineData("\"oacs\":266 }", "\"oacs\":267 }", "idCtrl.oacs")]
    [InlineData("\"vqrfa\":2,", "\"vqrfa\":0,", "primaryCtrlCaps.vqrfa")]
    [InlineData("\"num-virtual-queues\":2,", "\"num-virtual-queues\":3,", "secondary[1].num-virtual-queues")]
    [InlineData("\"vfAddress\":\"0000:01:00.1\"", "\"vfAddress\":\"0000:01:00.2\"", "secondary[1].vfAddress")]
    [InlineData("\"online\":true", "\"online\":false", "secondary[1].online")]
    [InlineData("\"driversAutoprobe\":false", "\"driversAutoprobe\":true", "sriov.driversAutoprobe")]
    [InlineData("\"vfDeviceId\":16", "\"vfDeviceId\":10", "sriov.vfDeviceId")]
    [InlineData("\"virtualizationManagement\":false", "\"virtualizationManagement\":true", "oacsBits.virtualizationManagement")]
    public void Compare_Should_NameTheField_When_AgentDisagrees(string original, string changed, string field)
    {
        var result = InventoryCrossCheck.Compare(Agent.Replace(original, changed, StringComparison.Ordinal), IdCtrl, PrimaryCaps, SecondaryList, SysfsFacts.Parse(Sysfs));

        var mismatch = Assert.Single(result.Mismatches);
        Assert.StartsWith(field, mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_Should_Report_When_AgentLacksSectionsNvmeCliHas()
    {
        var agent = Agent.Replace("\"primaryCtrlCaps\":{", "\"primaryCtrlCaps\":null, \"x\":{", StringComparison.Ordinal);

        var result = InventoryCrossCheck.Compare(agent, IdCtrl, PrimaryCaps, SecondaryList, SysfsFacts.Parse(Sysfs));

        Assert.Contains(result.Mismatches, m => m.StartsWith("primaryCtrlCaps: agent reports nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_Should_Report_When_PfMissingFromInventory()
    {
        var result = InventoryCrossCheck.Compare("""{ "physicalFunctions": [] }""", IdCtrl, PrimaryCaps, SecondaryList, SysfsFacts.Parse(Sysfs));

        Assert.Equal("agent inventory has no physicalFunctions[] entry with address 0000:01:00.0", Assert.Single(result.Mismatches));
    }
}
