using NvmeLm.Hardware.Nvme;
using V = NvmeLm.Hardware.Nvme.VirtualizationManagementFields;

namespace NvmeLm.Hardware.Emulated;

// Virtualization Management (0x1C) with the semantics measured on QEMU 7.2 (reference qemu-nvme-sriov-lab.md
// "Order semantics"; hw/nvme/ctrl.c): assign works before the VF exists, online needs the VF and resources
// (else 0x4120), over the per-secondary maximum or the free flexible pool → 0x4121. Resources are absolute
// (an assign replaces the previous count) and the completion DW0 returns the number assigned (NRM).
internal sealed partial class EmulatedNvmeController
{
    /// <summary>QEMU refuses online with fewer than an admin + one I/O queue, or without an interrupt (nvme_virt_set_state).</summary>
    private const int MinimumOnlineVq = 2;
    private const int MinimumOnlineVi = 1;

    private NvmeRawCompletion VirtualizationManagement(Command command)
    {
        var pf = _primary!;
        int action = (int)(command.Cdw10 & V.ActionMask);
        int resourceType = (int)((command.Cdw10 >> V.ResourceTypeShift) & V.ResourceTypeMask);
        ushort cntlid = command.ControllerIdInCdw10;
        int count = (int)(command.Cdw11 & 0xFFFF);

        if (action == V.ActPrimaryFlexibleAllocation)
        {
            return cntlid != pf.Config.PrimaryControllerId ? Fail(NvmeStatusCode.InvalidControllerIdentifier) : AllocateToPrimary(pf, resourceType, count);
        }

        if (action is not (V.ActSecondaryOffline or V.ActSecondaryAssign or V.ActSecondaryOnline))
        {
            return Fail(NvmeStatusCode.InvalidFieldInCommand);
        }

        if (pf.FindSecondary(cntlid) is not { } secondary)
        {
            return Fail(NvmeStatusCode.InvalidControllerIdentifier);
        }

        switch (action)
        {
            case V.ActSecondaryOffline:
                secondary.Online = false;
                secondary.Suspended = false;
                secondary.PendingState = null;
                return Success(0);
            case V.ActSecondaryAssign:
                return AssignToSecondary(pf, secondary, resourceType, count);
            default:
                if (pf.VirtualFunctionOf(secondary) is null || secondary.Nvq < MinimumOnlineVq || secondary.Nvi < MinimumOnlineVi)
                {
                    return Fail(NvmeStatusCode.InvalidSecondaryControllerState);
                }

                secondary.Online = true;
                return Success(0);
        }
    }

    private static NvmeRawCompletion AllocateToPrimary(EmulatedPhysicalFunction pf, int resourceType, int count)
    {
        if (resourceType is not (V.ResourceVq or V.ResourceVi))
        {
            return Fail(NvmeStatusCode.InvalidResourceIdentifier);
        }

        bool vq = resourceType == V.ResourceVq;
        int free = vq ? pf.Config.VqFlexibleTotal - pf.AssignedVq() : pf.Config.ViFlexibleTotal - pf.AssignedVi();
        if (count > free)
        {
            return Fail(NvmeStatusCode.InvalidNumberOfControllerResources);
        }

        if (vq)
        {
            pf.PrimaryFlexibleVq = count;
        }
        else
        {
            pf.PrimaryFlexibleVi = count;
        }

        return Success((uint)count);
    }

    private static NvmeRawCompletion AssignToSecondary(EmulatedPhysicalFunction pf, EmulatedSecondaryController secondary, int resourceType, int count)
    {
        if (resourceType is not (V.ResourceVq or V.ResourceVi))
        {
            return Fail(NvmeStatusCode.InvalidResourceIdentifier);
        }

        if (secondary.Online)
        {
            return Fail(NvmeStatusCode.InvalidSecondaryControllerState);
        }

        bool vq = resourceType == V.ResourceVq;
        int max = vq ? pf.Config.EffectiveMaxVqPerSecondary : pf.Config.EffectiveMaxViPerSecondary;
        int free = vq
            ? pf.Config.VqFlexibleTotal - pf.PrimaryFlexibleVq - pf.AssignedVq(except: secondary)
            : pf.Config.ViFlexibleTotal - pf.PrimaryFlexibleVi - pf.AssignedVi(except: secondary);
        if (count > max || count > free)
        {
            return Fail(NvmeStatusCode.InvalidNumberOfControllerResources);
        }

        if (vq)
        {
            secondary.Nvq = count;
        }
        else
        {
            secondary.Nvi = count;
        }

        return Success((uint)count);
    }
}
