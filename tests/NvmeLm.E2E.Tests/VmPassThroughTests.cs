using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// Seed step 5 on a real kernel (tests/e2e/guest/vm.sh): the agent's device plugin registers with a kubelet simulator
/// in the guest (Python grpcio), whose Allocate answer — checked against sysfs and the agent's log — is all a VM
/// started inside the QEMU guest uses to find its pool VF; it gets the VF through vfio-pci, and its own kernel binds
/// it with the nvme driver and creates exactly the pool's I/O queues (2, with 2 vCPUs).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class VmPassThroughTests(E2ERunFixture fixture)
{
    private readonly E2ERun _run = fixture.Run;

    [Fact]
    public void Vm_Should_GetItsVfFromTheDevicePluginsAllocateAnswer()
    {
        E2EAssert.Passed(_run, "vm.allocate");
        E2EAssert.Passed(_run, "vm.allocation-from-plugin");
    }

    [Fact]
    public void Vm_Should_BindThePoolVfWithNvme_And_UseExactlyThePoolsIoQueues()
    {
        E2EAssert.Passed(_run, "vm.allocation");
        E2EAssert.Passed(_run, "vm.finished");
        E2EAssert.Passed(_run, "vm.nvme-bound");
        E2EAssert.Passed(_run, "vm.io-queues");
    }

    [Fact]
    public void PoolVf_Should_BeUnchanged_When_TheVmHasReleasedIt()
    {
        E2EAssert.AllPassed(_run, "vm.after.");
    }
}
