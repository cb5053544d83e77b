using System.Globalization;

namespace NvmeLm.Hardware.Emulated;

// Device attributes under /sys/devices/…/<bdf>/ with the kernel's formats and write rules (reference §1,
// drivers/pci/pci-sysfs.c and iov.c): class "0x%06x", vendor/device "0x%04x", sriov_vf_device "%x",
// numbers "%u", driver_override "(null)" when unset.
public sealed partial class EmulatedHost
{
    private Dictionary<string, EmulatedNode> DeviceChildren(EmulatedPciFunction function, string[] rest)
    {
        string instance = function.NvmeInstance is int n ? "nvme" + Num(n) : "";
        return rest switch
        {
            [] => DeviceAttributes(function),
            ["nvme"] when function.NvmeInstance is not null => Dirs(instance),
            ["nvme", var name] when name == instance && function.NvmeInstance is not null =>
                NamespacesOf(function).Select(ns => $"{instance}n{Num(ns)}").ToDictionary(x => x, _ => EmulatedNode.Directory),
            _ => s_noChildren,
        };
    }

    /// <summary>The device directory's listing: every name <see cref="DeviceAttribute"/> has an entry for.</summary>
    private Dictionary<string, EmulatedNode> DeviceAttributes(EmulatedPciFunction function)
    {
        var entries = new Dictionary<string, EmulatedNode>(StringComparer.Ordinal);
        foreach (string name in DeviceAttributeNames(function))
        {
            if (DeviceAttribute(function, name) is { } entry)
            {
                entries[name] = entry;
            }
        }

        return entries;
    }

    /// <summary>The names a device directory may hold (those absent for this function get no entry).</summary>
    private IEnumerable<string> DeviceAttributeNames(EmulatedPciFunction function)
    {
        string[] always = ["class", "vendor", "device", "driver_override", "reset", "driver", "iommu_group", "nvme", "physfn"];
        foreach (string name in always)
        {
            yield return name;
        }

        if (function.Parent is null && PhysicalFunctionOf(function) is { Config.TotalVfs: > 0 } pf)
        {
            foreach (string name in s_sriovAttributes)
            {
                yield return name;
            }

            for (int i = 0; i < pf.VirtualFunctions.Count; i++)
            {
                yield return VirtfnPrefix + Num(i);
            }
        }
    }

    private static readonly string[] s_sriovAttributes =
        ["sriov_totalvfs", "sriov_numvfs", "sriov_offset", "sriov_stride", "sriov_vf_device", "sriov_drivers_autoprobe"];

    private const string VirtfnPrefix = "virtfn";

    /// <summary>
    /// One entry of <c>/sys/devices/…/&lt;bdf&gt;/</c>, or null where the kernel has none (no driver → no
    /// <c>driver</c> link, a VF has <c>physfn</c> and no <c>sriov_*</c>, a PF without SR-IOV capability has no
    /// <c>sriov_*</c>). Looked up by name: every sysfs read resolves one attribute, and building the directory
    /// (a PF lists a <c>virtfn</c> link per VF) for each read was a fifth of a 100-node demo's CPU (perf).
    /// </summary>
    private EmulatedNode? DeviceAttribute(EmulatedPciFunction function, string name)
    {
        switch (name)
        {
            case "class": return EmulatedNode.ReadOnly(() => $"0x{function.ClassCode:x6}\n");
            case "vendor": return EmulatedNode.ReadOnly(() => $"0x{function.VendorId:x4}\n");
            case "device": return EmulatedNode.ReadOnly(() => $"0x{function.DeviceId:x4}\n");
            case "driver_override":
                return EmulatedNode.ReadWrite(() => (function.DriverOverride ?? "(null)") + "\n", v => WriteDriverOverride(function, v));
            // FLR: QEMU applies pending primary flexible allocations here; this emulator applies them at once (no-op).
            case "reset": return EmulatedNode.WriteOnly(v => v.Trim() == "1" ? 0 : Errnos.EINVAL);
            case "driver": return function.Driver is { } driver ? EmulatedNode.Link($"../../../bus/pci/drivers/{driver}") : null;
            case "iommu_group": return function.IommuGroup is int group ? EmulatedNode.Link($"../../../kernel/iommu_groups/{Num(group)}") : null;
            case "nvme": return function.NvmeInstance is not null ? EmulatedNode.Directory : null;
            case "physfn": return function.Parent is { } parent ? EmulatedNode.Link($"../{parent.Function.Address}") : null;
        }

        if (function.Parent is not null || PhysicalFunctionOf(function) is not { Config.TotalVfs: > 0 } pf)
        {
            return null;
        }

        return name switch
        {
            "sriov_totalvfs" => EmulatedNode.ReadOnly(() => Num(pf.Config.TotalVfs) + "\n"),
            "sriov_numvfs" => EmulatedNode.ReadWrite(() => Num(pf.NumVfs) + "\n", v => WriteNumVfs(pf, v)),
            "sriov_offset" => EmulatedNode.ReadOnly(() => Num(pf.Config.VfOffset) + "\n"),
            "sriov_stride" => EmulatedNode.ReadOnly(() => Num(pf.Config.VfStride) + "\n"),
            "sriov_vf_device" => EmulatedNode.ReadOnly(() => $"{pf.Config.VfDeviceId:x}\n"),
            "sriov_drivers_autoprobe" => EmulatedNode.ReadWrite(() => (pf.DriversAutoprobe ? "1" : "0") + "\n", v => WriteAutoprobe(pf, v)),
            _ when name.StartsWith(VirtfnPrefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(VirtfnPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                && Num(index) == name[VirtfnPrefix.Length..]
                && index < pf.VirtualFunctions.Count => EmulatedNode.Link($"../{pf.VirtualFunctions[index].Address}"),
            _ => null,
        };
    }

    private EmulatedPhysicalFunction? PhysicalFunctionOf(EmulatedPciFunction function)
    {
        foreach (var pf in _pfs)
        {
            if (pf.Function == function)
            {
                return pf;
            }
        }

        return null;
    }

    /// <summary>
    /// iov.c <c>sriov_numvfs_store</c>: parse (kstrtou16) → EINVAL; N &gt; total → ERANGE; N == current → no-op;
    /// no PF driver or no <c>.sriov_configure</c> → ENOENT; 0 → disable; current ≠ 0 → EBUSY; else enable.
    /// </summary>
    private int WriteNumVfs(EmulatedPhysicalFunction pf, string value)
    {
        if (!TryParseKernelUInt(value, out ulong requested) || requested > ushort.MaxValue)
        {
            return Errnos.EINVAL;
        }

        if (requested > (ulong)pf.Config.TotalVfs)
        {
            return Errnos.ERANGE;
        }

        int numVfs = (int)requested;
        if (numVfs == pf.NumVfs)
        {
            return 0;
        }

        if (pf.Function.Driver is not { } driver || !SupportsSriovConfigure(_drivers[driver]))
        {
            return Errnos.ENOENT;
        }

        if (numVfs == 0)
        {
            DisableVirtualFunctions(pf);
            return 0;
        }

        if (pf.NumVfs != 0)
        {
            return Errnos.EBUSY;
        }

        EnableVirtualFunctions(pf, numVfs);
        return 0;
    }

    /// <summary><c>kstrtobool</c>: 1/0, y/n, on/off (first characters), else EINVAL.</summary>
    private static int WriteAutoprobe(EmulatedPhysicalFunction pf, string value)
    {
        string v = value.TrimEnd('\n').ToLowerInvariant();
        bool? parsed = v switch
        {
            "1" or "y" or "yes" or "on" or "t" or "true" => true,
            "0" or "n" or "no" or "off" or "f" or "false" => false,
            _ => null,
        };
        if (parsed is null)
        {
            return Errnos.EINVAL;
        }

        pf.DriversAutoprobe = parsed.Value;
        return 0;
    }

    /// <summary><c>driver_set_override</c>: trailing newline dropped; empty (or "\0") clears; ≥ PAGE_SIZE → EINVAL.</summary>
    private static int WriteDriverOverride(EmulatedPciFunction function, string value)
    {
        if (value.Length >= 4096)
        {
            return Errnos.EINVAL;
        }

        string name = value.Split('\n')[0].TrimEnd('\0');
        function.DriverOverride = name.Length == 0 ? null : name;
        return 0;
    }

    /// <summary><c>kstrtou16(buf, 0, …)</c>: one trailing newline allowed; 0x → hex, leading 0 → octal.</summary>
    private static bool TryParseKernelUInt(string value, out ulong result)
    {
        string text = value.EndsWith('\n') ? value[..^1] : value;
        result = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result);
        }

        if (text.Length > 1 && text[0] == '0')
        {
            foreach (char c in text)
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                result = (result * 8) + (ulong)(c - '0');
            }

            return true;
        }

        return text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }
}
