namespace NvmeLm.Hardware.Emulated;

// Snapshot / restore of the mutable hardware state: for the state file (CLI round trips across processes)
// and as the fingerprint that tells the write log whether an operation changed anything.
public sealed partial class EmulatedHost
{
    /// <summary>The current mutable state (a deep copy).</summary>
    public EmulatedHostState CaptureState()
    {
        lock (_gate)
        {
            return CaptureLocked();
        }
    }

    private EmulatedHostState CaptureLocked() => new()
    {
        Mounts = _mounts.Select(m => new EmulatedMountConfig { Source = m.Source, Target = m.Target, FsType = m.FsType }).ToList(),
        PhysicalFunctions = _pfs.Select(pf => new EmulatedHostState.Pf
        {
            Address = pf.Function.Address.ToString(),
            DriversAutoprobe = pf.DriversAutoprobe,
            Driver = pf.Function.Driver,
            DriverOverride = pf.Function.DriverOverride,
            IommuGroup = pf.Function.IommuGroup,
            PrimaryFlexibleVq = pf.PrimaryFlexibleVq,
            PrimaryFlexibleVi = pf.PrimaryFlexibleVi,
            VirtualFunctions = pf.VirtualFunctions.Select(vf => new EmulatedHostState.Vf
            {
                Address = vf.Address.ToString(),
                Driver = vf.Driver,
                DriverOverride = vf.DriverOverride,
                IommuGroup = vf.IommuGroup,
                NvmeInstance = vf.NvmeInstance,
            }).ToList(),
            Secondaries = pf.Secondaries.Select(s => new EmulatedHostState.Secondary
            {
                Scid = s.Scid,
                Nvq = s.Nvq,
                Nvi = s.Nvi,
                Online = s.Online,
                Suspended = s.Suspended,
                RestoredState = s.RestoredState?.ToArray(),
                PendingState = s.PendingState?.ToArray(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>Replaces the mutable state; the state must describe exactly this config's PFs.</summary>
    private void ApplyState(EmulatedHostState state)
    {
        if (state.PhysicalFunctions.Count != _pfs.Count)
        {
            throw new EmulatedConfigException($"emulated host state has {state.PhysicalFunctions.Count} PFs but the config has {_pfs.Count}; delete the state file");
        }

        foreach (var saved in state.PhysicalFunctions)
        {
            var pf = _pfs.Find(p => p.Function.Address.ToString() == saved.Address)
                ?? throw new EmulatedConfigException($"emulated host state names PF {saved.Address}, which the config does not have; delete the state file");
            if (saved.VirtualFunctions.Count > pf.Config.TotalVfs || saved.Secondaries.Count != pf.Secondaries.Count)
            {
                throw new EmulatedConfigException($"emulated host state of PF {saved.Address} does not fit its config (VFs or secondaries); delete the state file");
            }

            pf.DriversAutoprobe = saved.DriversAutoprobe;
            pf.Function.Driver = saved.Driver;
            pf.Function.NvmeInstance = saved.Driver == EmulatedPciFunction.NvmeDriver ? pf.Config.NvmeInstance : null;
            pf.Function.DriverOverride = saved.DriverOverride;
            pf.Function.IommuGroup = saved.IommuGroup;
            pf.PrimaryFlexibleVq = saved.PrimaryFlexibleVq;
            pf.PrimaryFlexibleVi = saved.PrimaryFlexibleVi;
            pf.VirtualFunctions.Clear();
            for (int i = 0; i < saved.VirtualFunctions.Count; i++)
            {
                var vf = saved.VirtualFunctions[i];
                var address = EmulatedPhysicalFunction.VirtualFunctionAddress(pf.Function.Address, pf.Config.VfOffset, pf.Config.VfStride, i)!.Value;
                pf.VirtualFunctions.Add(new EmulatedPciFunction(address, pf.Config.VendorId, pf.Config.VfDeviceId, pf.Config.ClassCode, pf, i)
                {
                    Driver = vf.Driver,
                    DriverOverride = vf.DriverOverride,
                    IommuGroup = vf.IommuGroup,
                    NvmeInstance = vf.NvmeInstance,
                });
            }

            for (int i = 0; i < saved.Secondaries.Count; i++)
            {
                var s = pf.Secondaries[i];
                var d = saved.Secondaries[i];
                s.Nvq = d.Nvq;
                s.Nvi = d.Nvi;
                s.Online = d.Online;
                s.Suspended = d.Suspended;
                s.RestoredState = d.RestoredState;
                s.PendingState = d.PendingState?.ToList();
            }
        }

        _mounts.Clear();
        _mounts.AddRange(state.Mounts);
    }

    /// <summary>
    /// The whole state, encoded, to tell whether a write changed anything (compare with
    /// <see cref="MemoryExtensions.SequenceEqual{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>). UTF-8 bytes rather than a
    /// string: two of these per mutation were 6% of the bytes the 100-node demo allocated.
    /// </summary>
    private byte[] Fingerprint() => EmulatedStateFile.Encode(CaptureLocked());

    private void PersistLocked()
    {
        if (_statePath is not null)
        {
            EmulatedStateFile.Save(_statePath, CaptureLocked());
        }
    }
}
