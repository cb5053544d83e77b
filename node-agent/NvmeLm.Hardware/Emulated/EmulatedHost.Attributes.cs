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

    private Dictionary<string, EmulatedNode> DeviceAttributes(EmulatedPciFunction function)
    {
        var entries = new Dictionary<string, EmulatedNode>(StringComparer.Ordinal)
        {
            ["class"] = EmulatedNode.ReadOnly(() => $"0x{function.ClassCode:x6}\n"),
            ["vendor"] = EmulatedNode.ReadOnly(() => $"0x{function.VendorId:x4}\n"),
            ["device"] = EmulatedNode.ReadOnly(() => $"0x{function.DeviceId:x4}\n"),
            ["driver_override"] = EmulatedNode.ReadWrite(() => (function.DriverOverride ?? "(null)") + "\n", v => WriteDriverOverride(function, v)),
            // FLR: QEMU applies pending primary flexible allocations here; this emulator applies them at once (no-op).
            ["reset"] = EmulatedNode.WriteOnly(v => v.Trim() == "1" ? 0 : Errnos.EINVAL),
        };

        if (function.Driver is { } driver)
        {
            entries["driver"] = EmulatedNode.Link($"../../../bus/pci/drivers/{driver}");
        }

        if (function.IommuGroup is int group)
        {
            entries["iommu_group"] = EmulatedNode.Link($"../../../kernel/iommu_groups/{Num(group)}");
        }

        if (function.NvmeInstance is not null)
        {
            entries["nvme"] = EmulatedNode.Directory;
        }

        if (function.Parent is { } parent)
        {
            entries["physfn"] = EmulatedNode.Link($"../{parent.Function.Address}");
        }
        else
        {
            AddSriovAttributes(_pfs.First(p => p.Function == function), entries);
        }

        return entries;
    }

    private void AddSriovAttributes(EmulatedPhysicalFunction pf, Dictionary<string, EmulatedNode> entries)
    {
        if (pf.Config.TotalVfs == 0)
        {
            return;
        }

        entries["sriov_totalvfs"] = EmulatedNode.ReadOnly(() => Num(pf.Config.TotalVfs) + "\n");
        entries["sriov_numvfs"] = EmulatedNode.ReadWrite(() => Num(pf.NumVfs) + "\n", v => WriteNumVfs(pf, v));
        entries["sriov_offset"] = EmulatedNode.ReadOnly(() => Num(pf.Config.VfOffset) + "\n");
        entries["sriov_stride"] = EmulatedNode.ReadOnly(() => Num(pf.Config.VfStride) + "\n");
        entries["sriov_vf_device"] = EmulatedNode.ReadOnly(() => $"{pf.Config.VfDeviceId:x}\n");
        entries["sriov_drivers_autoprobe"] = EmulatedNode.ReadWrite(() => (pf.DriversAutoprobe ? "1" : "0") + "\n", v => WriteAutoprobe(pf, v));
        for (int i = 0; i < pf.VirtualFunctions.Count; i++)
        {
            entries["virtfn" + Num(i)] = EmulatedNode.Link($"../{pf.VirtualFunctions[i].Address}");
        }
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
