using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// Chooses the destination VF: a free secondary controller (role Pool in spec and status, not suspended, allocated to
/// no pod — <c>allocatedTo</c>, which the agent learns from the kubelet —, online, not the source) on a pool-managed PF of the destination node whose primary supports host-managed live migration,
/// shares a controller-state format with the source PF, and gives the secondary at least the source's
/// queue and interrupt resources. Deterministic: lowest PF address, then lowest VF number.
/// </summary>
internal static class DestinationPicker
{
    public static ValidationOutcome Pick(
        V1Alpha1NvmeMigration migration, SourceCandidate source, V1Alpha1NvmeNode node, IReadOnlySet<string> excluded)
    {
        var wanted = migration.Spec.Destination;
        var uid = migration.Metadata.Uid ?? "";
        var nodeName = node.Metadata.Name;
        var rejected = new List<string>();
        var capablePfs = 0;
        foreach (var pf in (node.Status?.PhysicalFunctions ?? []).OrderBy(p => p.Address, StringComparer.Ordinal))
        {
            if (wanted.PfAddress is { } pfAddress && pf.Address != pfAddress)
            {
                continue;
            }

            var pfSpec = node.Spec.PhysicalFunctions?.FirstOrDefault(p => p.Address == pf.Address);
            var whyNot = pfSpec is null ? "no NvmeVfPool selects it"
                : pf.Capabilities?.HostManagedLiveMigration != true ? "no host-managed live migration (OACS bit 11)"
                : !FormatsCompatible(source.Pf.Capabilities, pf.Capabilities) ? "no controller-state format in common with the source PF"
                : null;
            if (whyNot is not null)
            {
                rejected.Add($"PF {pf.Address}: {whyNot}");
                continue;
            }

            capablePfs++;
            foreach (var secondary in (pf.Secondaries ?? []).OrderBy(s => s.VfNumber))
            {
                if (secondary.VfAddress is null
                    || (wanted.VfAddress is { } vfAddress && secondary.VfAddress != vfAddress)
                    || (nodeName == source.Endpoint.Node && secondary.VfAddress == source.Endpoint.VfAddress))
                {
                    continue;
                }

                if (secondary.AllocatedTo is { Count: > 0 } pods)
                {
                    rejected.Add($"VF {secondary.VfAddress}: in use by pod {pods[0].Namespace}/{pods[0].Pod}");
                    continue;
                }

                if (excluded.Contains(secondary.VfAddress))
                {
                    continue;
                }

                var held = pfSpec!.Secondaries?.FirstOrDefault(s => s.VfNumber == secondary.VfNumber);
                var free = secondary.VfNumber >= 1 && secondary.VfNumber <= pfSpec.NumVfs
                    && (held is null || held.Role == SecondaryRole.Pool || held.OwnerUid == uid)
                    && (secondary.Role is null or SecondaryRole.Pool || secondary.OwnerUid == uid)
                    && !secondary.Suspended;
                if (!free)
                {
                    continue;
                }

                if (!secondary.Online || secondary.Queues < source.Secondary.Queues || secondary.Interrupts < source.Secondary.Interrupts)
                {
                    rejected.Add($"VF {secondary.VfAddress}: online={secondary.Online}, queues {secondary.Queues}/{source.Secondary.Queues}, "
                        + $"interrupts {secondary.Interrupts}/{source.Secondary.Interrupts} (destination/source)");
                    continue;
                }

                var destination = new ResolvedEndpoint
                {
                    Node = nodeName,
                    PfAddress = pf.Address,
                    VfAddress = secondary.VfAddress,
                    Scid = secondary.Scid,
                    VfNumber = secondary.VfNumber,
                    IommuGroup = secondary.IommuGroup,
                };
                var driver = held?.Driver ?? NvmeLmApi.DefaultVfioDriver;
                return new ValidationOutcome.Valid(source.Endpoint, destination, source.Driver, driver);
            }
        }

        var detail = rejected.Count == 0 ? "" : " (" + string.Join("; ", rejected) + ")";
        if (capablePfs == 0)
        {
            return new ValidationOutcome.Invalid(FailureReasons.NoCapablePf,
                $"Node {nodeName} has no pool-managed NVMe PF{(wanted.PfAddress is null ? "" : " " + wanted.PfAddress)} "
                + $"that can receive a live migration from PF {source.Pf.Address}{detail}.");
        }

        return new ValidationOutcome.Invalid(FailureReasons.NoFreeDestinationVf,
            $"Node {nodeName} has no free compatible VF{(wanted.VfAddress is null ? "" : " " + wanted.VfAddress)}{detail}.");
    }

    /// <summary>VFs of <paramref name="node"/> the kubelet allocated to a pod (a workload runs there): never a destination.</summary>
    public static IEnumerable<string> AllocatedVfs(V1Alpha1NvmeNode? node) =>
        (node?.Status?.PhysicalFunctions ?? []).SelectMany(p => p.Secondaries ?? [])
            .Where(s => s.AllocatedTo is { Count: > 0 } && s.VfAddress is not null)
            .Select(s => s.VfAddress!);

    /// <summary>
    /// Two primaries can exchange controller state when they share a format: a common version when both
    /// list versions, and a common vendor format UUID when the source uses vendor formats (Identify CNS 0x20).
    /// An empty list on either side means "not reported", which the agent checks again before Set State.
    /// </summary>
    public static bool FormatsCompatible(ControllerCapabilities? source, ControllerCapabilities? destination)
    {
        if (source?.StateFormatVersions is { Count: > 0 } sourceVersions
            && destination?.StateFormatVersions is { Count: > 0 } destinationVersions
            && !sourceVersions.Intersect(destinationVersions).Any())
        {
            return false;
        }

        if (source?.StateFormatUuids is { Count: > 0 } sourceUuids
            && !(destination?.StateFormatUuids ?? []).Intersect(sourceUuids, StringComparer.OrdinalIgnoreCase).Any())
        {
            return false;
        }

        return true;
    }
}
