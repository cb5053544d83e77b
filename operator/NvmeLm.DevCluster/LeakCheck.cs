using System.Globalization;
using System.Security.Cryptography;
using NvmeLm.Api;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Hardware.Emulated;
using NvmeLm.Hardware.Journal;

namespace NvmeLm.DevCluster;

/// <summary>
/// Checks that finished migrations left nothing behind, in all three places state lives: the NvmeNode specs and
/// statuses (no VF still held for a migration, agents caught up), the emulated hardware (no suspended secondary,
/// every provisioned VF bound to its VFIO driver), and the agents' host journals (no VF still locked to an owner).
/// For a Succeeded migration it also checks where the controller went: the destination secondary holds exactly the
/// bytes whose SHA-256 the migration recorded, and they are the source VF's controller (the emulated state names
/// the PF and SCID where the controller was created; a controller moved into the source VF earlier keeps its origin).
/// </summary>
public static class LeakCheck
{
    /// <summary>Re-checks until clean or <paramref name="settle"/> passes (agents apply releases asynchronously).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(
        SimulatedCluster cluster, IReadOnlyList<V1Alpha1NvmeMigration> finished, TimeSpan settle, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settle;
        while (true)
        {
            var problems = await CheckOnceAsync(cluster, finished, cancellationToken).ConfigureAwait(false);
            if (problems.Count == 0 || DateTime.UtcNow > deadline)
            {
                return problems;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<IReadOnlyList<string>> CheckOnceAsync(
        SimulatedCluster cluster, IReadOnlyList<V1Alpha1NvmeMigration> finished, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var nvmeNodes = ((await cluster.NvmeNodes.ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items ?? []).ToDictionary(n => n.Metadata.Name);
        foreach (var node in cluster.Nodes)
        {
            if (!nvmeNodes.TryGetValue(node.Name, out var nvme))
            {
                problems.Add($"{node.Name}: no NvmeNode");
                continue;
            }

            CheckApi(node.Name, nvme, problems);
            CheckHardware(node, nvme, problems);
            CheckJournal(node, problems);
        }

        var succeeded = finished.Where(m => m.Status?.Phase == MigrationPhase.Succeeded).ToList();
        if (succeeded.Count > 0)
        {
            IReadOnlyList<V1Alpha1NvmeMigration> all = [.. (await cluster.Migrations.ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items ?? []];
            foreach (var migration in succeeded)
            {
                CheckDestinationHoldsSourceState(cluster, migration, all, problems);
            }
        }

        return problems;
    }

    private static void CheckApi(string name, V1Alpha1NvmeNode nvme, List<string> problems)
    {
        if (nvme.Status?.ObservedGeneration != nvme.Metadata.Generation)
        {
            problems.Add($"{name}: agent has not applied generation {nvme.Metadata.Generation} (observed {nvme.Status?.ObservedGeneration})");
        }

        foreach (var pf in nvme.Spec.PhysicalFunctions ?? [])
        {
            foreach (var held in (pf.Secondaries ?? []).Where(s => s.Role != SecondaryRole.Pool))
            {
                problems.Add($"{name}: spec still holds VF {held.VfNumber} of {pf.Address} as {held.Role} for {held.OwnerUid}");
            }
        }

        foreach (var pf in nvme.Status?.PhysicalFunctions ?? [])
        {
            foreach (var secondary in pf.Secondaries ?? [])
            {
                if (secondary.Suspended || secondary.Role is not (null or SecondaryRole.Pool))
                {
                    problems.Add($"{name}: status shows VF {secondary.VfAddress} role={secondary.Role} suspended={secondary.Suspended}");
                }
            }
        }
    }

    private static void CheckHardware(SimulatedNode node, V1Alpha1NvmeNode nvme, List<string> problems)
    {
        foreach (var pfSpec in nvme.Spec.PhysicalFunctions ?? [])
        {
            var pf = node.Host.PhysicalFunction(PciAddress.Parse(pfSpec.Address));
            foreach (var secondary in pf.Secondaries.Where(s => s.Suspended))
            {
                problems.Add($"{node.Name}: SCID {secondary.Scid} of {pfSpec.Address} is still suspended in hardware");
            }

            var reported = nvme.Status?.PhysicalFunctions?.FirstOrDefault(p => p.Address == pfSpec.Address)?.Secondaries ?? [];
            foreach (var secondary in reported.Where(s => s.VfNumber <= pfSpec.NumVfs && s.VfAddress is not null))
            {
                var wanted = pfSpec.Secondaries?.FirstOrDefault(s => s.VfNumber == secondary.VfNumber)?.Driver ?? NvmeLmApi.DefaultVfioDriver;
                var driver = node.Host.FindFunction(PciAddress.Parse(secondary.VfAddress!))?.Driver;
                if (driver != wanted)
                {
                    problems.Add($"{node.Name}: VF {secondary.VfAddress} is bound to '{driver ?? "(none)"}', not {wanted}");
                }
            }
        }
    }

    private static void CheckJournal(SimulatedNode node, List<string> problems)
    {
        foreach (var record in node.ReadJournal())
        {
            if (record.Pending is { } pending)
            {
                problems.Add($"{node.Name}: journal of {record.Pf} has an unfinished intent {pending.Step}/{pending.Action}");
            }

            foreach (var vf in record.Vfs.Where(v => v.Role != VfRole.None))
            {
                problems.Add($"{node.Name}: journal still locks SCID {vf.Scid} of {record.Pf} as {vf.Role} for {vf.Owner}");
            }
        }
    }

    private static void CheckDestinationHoldsSourceState(
        SimulatedCluster cluster, V1Alpha1NvmeMigration migration, IReadOnlyList<V1Alpha1NvmeMigration> all, List<string> problems)
    {
        var name = migration.Metadata.Name;
        if (migration.Status?.Source is not { PfAddress: { } sourcePf, Scid: int sourceScid } source
            || migration.Status.Destination is not { PfAddress: { } destinationPf, Scid: int destinationScid } destination)
        {
            problems.Add($"{name}: Succeeded without resolved source and destination");
            return;
        }

        var serial = cluster.Node(source.Node).Host.PhysicalFunction(PciAddress.Parse(sourcePf)).Config.Serial;
        var secondary = cluster.Node(destination.Node).Host.PhysicalFunction(PciAddress.Parse(destinationPf)).FindSecondary(destinationScid);
        if (secondary?.RestoredState is not { } state)
        {
            problems.Add($"{name}: destination SCID {destinationScid} on {destination.Node} holds no restored controller state");
            return;
        }

        // The exact bytes: what the source agent read and recorded is what landed on the destination.
        string digest = Convert.ToHexStringLower(SHA256.HashData(state));
        if (!string.Equals(digest, migration.Status.StateSha256, StringComparison.Ordinal))
        {
            problems.Add($"{name}: destination state has sha256 {digest}, the migration recorded {migration.Status.StateSha256}");
        }

        // Whose controller it is: the source's own, or — when an earlier migration had moved a controller into the
        // source VF — that controller, carried on (its state names where it was first created).
        var origin = EmulatedControllerState.ReadOrigin(state);
        bool own = origin.Serial == serial && origin.Scid == sourceScid;
        if (!own && !MovedInto(all, migration, source, origin, cluster))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name}: destination holds state of {origin.Serial}/SCID {origin.Scid}, expected {serial}/SCID {sourceScid}"));
        }
    }

    /// <summary>True if an earlier Succeeded migration moved a controller first created at <paramref name="origin"/> into this migration's source VF.</summary>
    private static bool MovedInto(
        IReadOnlyList<V1Alpha1NvmeMigration> all, V1Alpha1NvmeMigration migration, ResolvedEndpoint source, (string Serial, int Scid) origin, SimulatedCluster cluster) =>
        all.Any(earlier => earlier.Metadata.Uid != migration.Metadata.Uid
            && earlier.Status is { Phase: MigrationPhase.Succeeded, Destination: { } into, Source: { PfAddress: { } fromPf, Scid: int fromScid } from }
            && into.Node == source.Node && into.VfAddress == source.VfAddress
            && earlier.Status.CompletionTime <= migration.Status?.StartTime
            && ((cluster.Node(from.Node).Host.PhysicalFunction(PciAddress.Parse(fromPf)).Config.Serial == origin.Serial && fromScid == origin.Scid)
                || MovedInto(all, earlier, from, origin, cluster)));
}
