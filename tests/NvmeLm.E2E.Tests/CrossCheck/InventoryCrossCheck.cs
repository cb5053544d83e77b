using System.Globalization;
using System.Text.Json.Nodes;

namespace NvmeLm.E2E.Tests.CrossCheck;

/// <summary>
/// Compares the agent's <c>inventory --json</c> for one PF with what nvme-cli (<c>id-ctrl</c>,
/// <c>primary-ctrl-caps</c>, <c>list-secondary</c>, all <c>-o json</c>) and sysfs report in the same guest
/// at the same moment. Every field both sides report must agree. The agent names its Identify fields as
/// nvme-cli does (node-agent Output views), so fields are matched by name; the SR-IOV and VF-mapping
/// fields are matched against sysfs. One normalisation: NVMe ASCII fields (SN, MN, FR) are space-padded
/// on the wire and nvme-cli prints the padding, so trailing spaces are ignored on both sides.
/// </summary>
public static class InventoryCrossCheck
{
    public static FieldComparison Compare(string agentInventory, string idCtrl, string primaryCaps, string secondaryList, SysfsFacts sysfs)
    {
        var result = new FieldComparison();
        var pfAddress = sysfs["pf"];
        var pf = (JsonNode.Parse(agentInventory)?["physicalFunctions"] as JsonArray)?
            .FirstOrDefault(p => (string?)p?["address"] == pfAddress);
        if (pf is null)
        {
            result.Problem($"agent inventory has no physicalFunctions[] entry with address {pfAddress}");
            return result;
        }

        CompareByName(result, "idCtrl", pf["idCtrl"], JsonNode.Parse(idCtrl));
        CompareByName(result, "primaryCtrlCaps", pf["primaryCtrlCaps"], JsonNode.Parse(primaryCaps));
        CompareSecondaries(result, pf["secondaryControllers"] as JsonArray, JsonNode.Parse(secondaryList), sysfs);
        CompareOacsBits(result, pf["oacsBits"], JsonNode.Parse(idCtrl)?["oacs"]);
        CompareSysfs(result, pf, sysfs);
        return result;
    }

    private static void CompareByName(FieldComparison result, string section, JsonNode? agent, JsonNode? reference)
    {
        if (agent is not JsonObject agentObject || reference is not JsonObject referenceObject)
        {
            result.Problem($"{section}: agent reports {(agent is null ? "nothing" : "it")}, nvme-cli {(reference is null ? "nothing" : "it")}");
            return;
        }

        var shared = agentObject.Select(p => p.Key).Where(referenceObject.ContainsKey).ToList();
        if (shared.Count == 0)
        {
            result.Problem($"{section}: no field name in common with nvme-cli");
        }

        foreach (var name in shared)
        {
            result.Equal($"{section}.{name}", Scalar(agentObject[name]), Scalar(referenceObject[name]));
        }
    }

    private static void CompareSecondaries(FieldComparison result, JsonArray? agent, JsonNode? reference, SysfsFacts sysfs)
    {
        var cli = reference?["secondary-controllers"] as JsonArray;
        if (agent is null || cli is null)
        {
            result.Problem($"secondaryControllers: agent {(agent is null ? "absent" : "present")}, nvme-cli {(cli is null ? "absent" : "present")}");
            return;
        }

        result.Equal("secondaryControllers.count", agent.Count.ToString(CultureInfo.InvariantCulture), Scalar(reference?["num"]));
        foreach (var cliEntry in cli)
        {
            var scid = Scalar(cliEntry?["secondary-controller-identifier"]);
            var agentEntry = agent.FirstOrDefault(a => Scalar(a?["secondary-controller-identifier"]) == scid);
            if (agentEntry is null)
            {
                result.Problem($"secondary SCID {scid}: reported by nvme-cli, missing in the agent's inventory");
                continue;
            }

            CompareByName(result, $"secondary[{scid}]", agentEntry, cliEntry);
            var online = (long.Parse(Scalar(cliEntry?["secondary-controller-state"]) ?? "0", CultureInfo.InvariantCulture) & 1) == 1;
            result.Equal($"secondary[{scid}].online (SCS bit 0)", Scalar(agentEntry["online"]), online ? "true" : "false");
            CompareVf(result, scid, agentEntry, sysfs);
        }
    }

    // The VF mapping (virtfn index, address, driver, IOMMU group) against the PF's virtfnN links.
    private static void CompareVf(FieldComparison result, string? scid, JsonNode agentEntry, SysfsFacts sysfs)
    {
        var enabled = Scalar(agentEntry["vfEnabled"]) == "true";
        var virtfnText = Scalar(agentEntry["virtfn"]);
        var virtfn = int.TryParse(virtfnText, CultureInfo.InvariantCulture, out var v) ? v : -1;
        result.Equal($"secondary[{scid}].vfEnabled", enabled ? "true" : "false", sysfs.Vfs.ContainsKey(virtfn) ? "true" : "false");
        if (!sysfs.Vfs.TryGetValue(virtfn, out var vf))
        {
            return;
        }

        result.Equal($"secondary[{scid}].vfAddress (virtfn{virtfn})", Scalar(agentEntry["vfAddress"]), vf.Address);
        result.Equal($"secondary[{scid}].driver", Scalar(agentEntry["driver"]) ?? "none", vf.Driver);
        result.Equal($"secondary[{scid}].iommuGroup", Scalar(agentEntry["iommuGroup"]), vf.IommuGroup);
    }

    private static void CompareOacsBits(FieldComparison result, JsonNode? bits, JsonNode? oacs)
    {
        if (bits is null || oacs is null)
        {
            result.Problem($"oacsBits: agent {(bits is null ? "absent" : "present")}, nvme-cli oacs {(oacs is null ? "absent" : "present")}");
            return;
        }

        var value = long.Parse(Scalar(oacs)!, CultureInfo.InvariantCulture);
        result.Equal("oacsBits.virtualizationManagement (OACS bit 7)", Scalar(bits["virtualizationManagement"]), ((value >> 7) & 1) == 1 ? "true" : "false");
        result.Equal("oacsBits.hostManagedLiveMigration (OACS bit 11)", Scalar(bits["hostManagedLiveMigration"]), ((value >> 11) & 1) == 1 ? "true" : "false");
    }

    private static void CompareSysfs(FieldComparison result, JsonNode pf, SysfsFacts sysfs)
    {
        result.Equal("vendorId", Scalar(pf["vendorId"]), Hex(sysfs["vendor"]));
        result.Equal("deviceId", Scalar(pf["deviceId"]), Hex(sysfs["device"]));
        result.Equal("classCode", Scalar(pf["classCode"]), Hex(sysfs["class"]));
        result.Equal("driver", Scalar(pf["driver"]) ?? "none", sysfs["driver"]);
        result.Equal("iommuGroup", Scalar(pf["iommuGroup"]), sysfs["iommu_group"]);
        result.Equal("controllerDevice", Path.GetFileName(Scalar(pf["controllerDevice"]) ?? string.Empty), Path.GetFileName(sysfs["ctrl"]));
        var sriov = pf["sriov"];
        result.Equal("sriov.totalVfs", Scalar(sriov?["totalVfs"]), sysfs["sriov_totalvfs"]);
        result.Equal("sriov.numVfs", Scalar(sriov?["numVfs"]), sysfs["sriov_numvfs"]);
        result.Equal("sriov.offset", Scalar(sriov?["offset"]), sysfs["sriov_offset"]);
        result.Equal("sriov.stride", Scalar(sriov?["stride"]), sysfs["sriov_stride"]);
        // sysfs prints sriov_vf_device as bare hex (%x).
        result.Equal("sriov.vfDeviceId", Scalar(sriov?["vfDeviceId"]), Hex("0x" + sysfs["sriov_vf_device"]));
        result.Equal("sriov.driversAutoprobe", Scalar(sriov?["driversAutoprobe"]), sysfs["sriov_drivers_autoprobe"] == "1" ? "true" : "false");
    }

    private static string Hex(string value) =>
        long.Parse(value.StartsWith("0x", StringComparison.Ordinal) ? value[2..] : value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            .ToString(CultureInfo.InvariantCulture);

    // Numbers as invariant decimal text, booleans as true/false, strings without NVMe's space padding.
    private static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s.TrimEnd(' '),
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
