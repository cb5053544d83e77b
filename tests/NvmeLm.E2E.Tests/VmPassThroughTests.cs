using NvmeLm.E2E.Tests.Harness;

namespace NvmeLm.E2E.Tests;

/// <summary>
/// Seed step 5 on a real kernel (tests/e2e/guest/vm.sh): a VM started inside the QEMU guest gets a pool VF through
/// vfio-pci, from the allocation file that stands for the device plugin's Allocate answer; the VM's own kernel binds
/// it with the nvme driver and creates exactly the pool's I/O queues (2, with 2 vCPUs).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class VmPassThroughTests(E2ERunFixture fixture)
{
    private readonly E2ERun _run = fixture.Run;

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
