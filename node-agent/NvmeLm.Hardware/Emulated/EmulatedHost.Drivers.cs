namespace NvmeLm.Hardware.Emulated;

// Driver core and SR-IOV enable/disable (reference §1; drivers/base/bus.c bind_store/unbind_store/
// drivers_probe_store, drivers/pci/pci-driver.c pci_match_device/pci_device_can_probe, iov.c) and the
// QEMU behaviour of VFs whose secondary controller is offline (reference §6).
public sealed partial class EmulatedHost
{
    /// <summary>
    /// <c>bind_store</c>: the device must exist and the driver must match it (driver_override decides when set),
    /// else ENODEV; an already bound device → EBUSY (as measured in the lab: re-binding a bound VF gave EBUSY);
    /// otherwise the probe's own error.
    /// </summary>
    private int WriteBind(string driver, string value)
    {
        if (!PciAddress.TryParse(value.TrimEnd('\n'), out var address) || FindFunctionLocked(address) is not { } function)
        {
            return Errnos.ENODEV;
        }

        if (!Matches(_drivers[driver], function))
        {
            return Errnos.ENODEV;
        }

        return function.Driver is not null ? Errnos.EBUSY : Probe(function, driver);
    }

    /// <summary><c>unbind_store</c>: ENODEV unless the device exists and is bound to this driver.</summary>
    private int WriteUnbind(string driver, string value)
    {
        if (!PciAddress.TryParse(value.TrimEnd('\n'), out var address) || FindFunctionLocked(address) is not { } function || function.Driver != driver)
        {
            return Errnos.ENODEV;
        }

        Detach(function);
        return 0;
    }

    /// <summary>
    /// <c>drivers_probe_store</c>: unknown device → ENODEV; otherwise success whether or not a driver bound
    /// (device_attach ignores probe failures), as the lab's <c>echo $VF &gt; drivers_probe</c> relies on.
    /// </summary>
    private int WriteDriversProbe(string value)
    {
        if (!PciAddress.TryParse(value.TrimEnd('\n'), out var address) || FindFunctionLocked(address) is not { } function)
        {
            return Errnos.ENODEV;
        }

        if (function.Driver is null)
        {
            AttachFirstMatching(function);
        }

        return 0;
    }

    /// <summary>
    /// <c>pci_match_device</c>: with driver_override set only that driver matches; otherwise nvme matches the
    /// NVMe class and other drivers their static id table (vfio-pci has none).
    /// </summary>
    private static bool Matches(EmulatedDriverConfig driver, EmulatedPciFunction function)
    {
        if (function.DriverOverride is { } overrideName)
        {
            return overrideName == driver.Name;
        }

        if (driver.Name == EmulatedPciFunction.NvmeDriver && function.ClassCode == EmulatedPciFunction.NvmeClassCode)
        {
            return true;
        }

        return driver.MatchIds.Contains($"{function.VendorId:x4}:{function.DeviceId:x4}");
    }

    /// <summary>
    /// <c>pci_device_probe</c>: a VF may only probe when its PF's sriov_drivers_autoprobe is on or it has a
    /// driver_override (<c>pci_device_can_probe</c>) → ENODEV. nvme on a VF whose secondary is offline: QEMU
    /// sets CSTS.CFS, the controller never becomes ready → ENODEV. vfio without an IOMMU → EINVAL (lab).
    /// </summary>
    private int Probe(EmulatedPciFunction function, string driver)
    {
        if (function.Parent is { } parent && !parent.DriversAutoprobe && function.DriverOverride is null)
        {
            return Errnos.ENODEV;
        }

        if (driver == EmulatedPciFunction.NvmeDriver && function.Parent is { } pf && !pf.SecondaryOf(function).Online)
        {
            return Errnos.ENODEV;
        }

        if (_drivers[driver].Vfio && function.IommuGroup is null)
        {
            return Errnos.EINVAL;
        }

        Attach(function, driver);
        return 0;
    }

    private void AttachFirstMatching(EmulatedPciFunction function)
    {
        foreach (var driver in _drivers.Values)
        {
            if (Matches(driver, function) && Probe(function, driver.Name) == 0)
            {
                return;
            }
        }
    }

    private void Attach(EmulatedPciFunction function, string driver)
    {
        function.Driver = driver;
        if (driver == EmulatedPciFunction.NvmeDriver)
        {
            function.NvmeInstance = function.Parent is null
                ? _pfs.First(p => p.Function == function).Config.NvmeInstance
                : AllocateNvmeInstance();
        }
    }

    private static void Detach(EmulatedPciFunction function)
    {
        function.Driver = null;
        function.NvmeInstance = null;
    }

    /// <summary>VFs appear at PF devfn + offset + stride·i with their own IOMMU groups; with autoprobe on they probe at once.</summary>
    private void EnableVirtualFunctions(EmulatedPhysicalFunction pf, int numVfs)
    {
        var pfAddress = pf.Function.Address;
        for (int i = 0; i < numVfs; i++)
        {
            var address = EmulatedPhysicalFunction.VirtualFunctionAddress(pfAddress, pf.Config.VfOffset, pf.Config.VfStride, i)!.Value;
            var vf = new EmulatedPciFunction(address, pf.Config.VendorId, pf.Config.VfDeviceId, pf.Config.ClassCode, pf, i)
            {
                IommuGroup = Config.Iommu ? AllocateIommuGroup() : null,
            };
            pf.VirtualFunctions.Add(vf);
        }

        if (pf.DriversAutoprobe)
        {
            foreach (var vf in pf.VirtualFunctions)
            {
                AttachFirstMatching(vf);
            }
        }
    }

    /// <summary>VF functions disappear (their drivers are unbound first); QEMU resets every secondary to offline with no resources.</summary>
    private static void DisableVirtualFunctions(EmulatedPhysicalFunction pf)
    {
        foreach (var vf in pf.VirtualFunctions)
        {
            Detach(vf);
        }

        pf.VirtualFunctions.Clear();
        foreach (var secondary in pf.Secondaries)
        {
            secondary.Reset();
        }
    }

    private static bool SupportsSriovConfigure(EmulatedDriverConfig driver) =>
        driver.SriovConfigure ?? driver.Name == EmulatedPciFunction.NvmeDriver;

    /// <summary>Lowest free group number, like the kernel's ida allocation.</summary>
    private int AllocateIommuGroup()
    {
        var used = AllFunctions.Where(f => f.IommuGroup is not null).Select(f => f.IommuGroup!.Value)
            .Concat(_pfs.Where(p => p.Config.IommuGroup is not null).Select(p => p.Config.IommuGroup!.Value))
            .ToHashSet();
        int group = 0;
        while (used.Contains(group))
        {
            group++;
        }

        return group;
    }

    private int AllocateNvmeInstance()
    {
        var used = AllFunctions.Where(f => f.NvmeInstance is not null).Select(f => f.NvmeInstance!.Value)
            .Concat(_pfs.Select(p => p.Config.NvmeInstance))
            .ToHashSet();
        int instance = 0;
        while (used.Contains(instance))
        {
            instance++;
        }

        return instance;
    }
}
