namespace NvmeLm.Hardware.Emulated;

/// <summary>Consistency rules for <see cref="EmulatedHostConfig"/>; each failure names the field and the rule.</summary>
internal static class EmulatedHostConfigValidator
{
    public static void Validate(EmulatedHostConfig config, string source)
    {
        void Fail(string field, string problem) =>
            throw new EmulatedConfigException($"emulated host config '{source}': {field}: {problem}");

        if (config.PhysicalFunctions.Count == 0)
        {
            Fail("physicalFunctions", "at least one physical function is required");
        }

        var driverNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < config.EffectiveDrivers.Count; i++)
        {
            var driver = config.EffectiveDrivers[i];
            string field = $"drivers[{i}]";
            if (string.IsNullOrWhiteSpace(driver.Name) || driver.Name.Contains('/') || driver.Name.Any(char.IsWhiteSpace))
            {
                Fail(field + ".name", $"'{driver.Name}' is not a driver name");
            }

            if (!driverNames.Add(driver.Name))
            {
                Fail(field + ".name", $"driver '{driver.Name}' is listed twice");
            }

            foreach (string flag in driver.MigrationFlags)
            {
                if (!Enum.TryParse<Vfio.VfioMigrationFlags>(flag, ignoreCase: true, out _))
                {
                    Fail(field + ".migrationFlags", $"'{flag}' is not one of StopCopy, P2P, PreCopy");
                }
            }

            if (driver.MigrationFlags.Count > 0 && !driver.Vfio)
            {
                Fail(field + ".migrationFlags", "only a vfio driver can report VFIO migration flags");
            }

            foreach (string id in driver.MatchIds)
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[0-9a-f]{4}:[0-9a-f]{4}$"))
                {
                    Fail(field + ".matchIds", $"'{id}' is not vvvv:dddd in lower-case hex");
                }
            }
        }

        var addresses = new HashSet<PciAddress>();
        var instances = new HashSet<int>();
        var groups = new HashSet<int>();
        for (int i = 0; i < config.PhysicalFunctions.Count; i++)
        {
            ValidatePf(config.PhysicalFunctions[i], $"physicalFunctions[{i}]", driverNames, addresses, instances, groups, Fail);
        }

        for (int i = 0; i < config.Mounts.Count; i++)
        {
            var mount = config.Mounts[i];
            if (!IsMountWord(mount.Source) || !IsMountWord(mount.Target) || !IsMountWord(mount.FsType))
            {
                Fail($"mounts[{i}]", "source, target and fsType must be non-empty and contain no whitespace");
            }
        }
    }

    private static void ValidatePf(
        EmulatedPfConfig pf, string field, HashSet<string> driverNames, HashSet<PciAddress> addresses,
        HashSet<int> instances, HashSet<int> groups, Action<string, string> fail)
    {
        if (!PciAddress.TryParse(pf.Address, out var address))
        {
            fail(field + ".address", $"'{pf.Address}' is not a PCI address DDDD:BB:DD.F in lower-case hex");
        }

        CheckRange(fail, field + ".vendorId", pf.VendorId, 0, 0xffff);
        CheckRange(fail, field + ".deviceId", pf.DeviceId, 0, 0xffff);
        CheckRange(fail, field + ".vfDeviceId", pf.VfDeviceId, 0, 0xffff);
        CheckRange(fail, field + ".classCode", pf.ClassCode, 0, 0xffffff);
        CheckRange(fail, field + ".nvmeInstance", pf.NvmeInstance, 0, 9999);
        CheckRange(fail, field + ".totalVfs", pf.TotalVfs, 0, 0xffff);
        CheckRange(fail, field + ".primaryControllerId", pf.PrimaryControllerId, 0, 0xfffe - pf.TotalVfs);
        CheckRange(fail, field + ".vqFlexibleTotal", pf.VqFlexibleTotal, 0, 0xffff);
        CheckRange(fail, field + ".viFlexibleTotal", pf.ViFlexibleTotal, 0, 0xffff);
        CheckRange(fail, field + ".primaryPrivateVq", pf.PrimaryPrivateVq, 0, 0xffff);
        CheckRange(fail, field + ".primaryPrivateVi", pf.PrimaryPrivateVi, 0, 0xffff);
        CheckRange(fail, field + ".maxVqPerSecondary", pf.MaxVqPerSecondary, 0, pf.VqFlexibleTotal);
        CheckRange(fail, field + ".maxViPerSecondary", pf.MaxViPerSecondary, 0, pf.ViFlexibleTotal);
        CheckRange(fail, field + ".controllerStateSize", pf.ControllerStateSize, 0, 16 << 20);
        if (pf.SerialLengthInvalid())
        {
            fail(field, "serial (≤20), model (≤40) and firmware (≤8) must be printable ASCII of the Identify field length");
        }

        if (!addresses.Add(address))
        {
            fail(field + ".address", $"{address} is used twice");
        }

        if (!instances.Add(pf.NvmeInstance))
        {
            fail(field + ".nvmeInstance", $"nvme{pf.NvmeInstance} is used twice");
        }

        if (pf.IommuGroup is int group && (group < 0 || !groups.Add(group)))
        {
            fail(field + ".iommuGroup", $"{group} is negative or used twice");
        }

        if (!string.IsNullOrEmpty(pf.Driver) && !driverNames.Contains(pf.Driver))
        {
            fail(field + ".driver", $"'{pf.Driver}' is not among the configured drivers");
        }

        if (pf.TotalVfs > 0)
        {
            CheckRange(fail, field + ".vfOffset", pf.VfOffset, 1, 0xffff);
            CheckRange(fail, field + ".vfStride", pf.VfStride, 1, 0xffff);
            for (int i = 0; i < pf.TotalVfs; i++)
            {
                var vf = EmulatedPhysicalFunction.VirtualFunctionAddress(address, pf.VfOffset, pf.VfStride, i);
                if (vf is null)
                {
                    fail(field + ".totalVfs", $"VF {i} falls beyond bus 0xff with offset {pf.VfOffset} and stride {pf.VfStride}");
                }
                else if (!addresses.Add(vf.Value))
                {
                    fail(field + ".totalVfs", $"VF {i} address {vf} collides with another function");
                }
            }
        }

        if (pf.LiveMigration)
        {
            if (pf.StateFormatVersions.Count is 0 or > 255 || pf.StateFormatVersions.Any(v => v is < 0 or > 0xffff))
            {
                fail(field + ".stateFormatVersions", "live migration needs 1 to 255 versions, each 0..65535");
            }
        }

        foreach (int nsid in pf.Namespaces)
        {
            CheckRange(fail, field + ".namespaces", nsid, 1, 1024);
        }
    }

    private static bool SerialLengthInvalid(this EmulatedPfConfig pf) =>
        !IsAscii(pf.Serial, 20) || !IsAscii(pf.Model, 40) || !IsAscii(pf.Firmware, 8);

    private static bool IsAscii(string text, int maxLength) =>
        text.Length <= maxLength && text.All(c => c is >= ' ' and <= '~');

    private static bool IsMountWord(string text) => text.Length > 0 && !text.Any(char.IsWhiteSpace);

    private static void CheckRange(Action<string, string> fail, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            fail(field, $"{value} is outside {min}..{max}");
        }
    }
}
