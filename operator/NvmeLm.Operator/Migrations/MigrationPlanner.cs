using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Nodes;

namespace NvmeLm.Operator.Migrations;

/// <summary>
/// The exact host actions a migration will cause, in order, per node (DESIGN §4 seed steps 3–6): what
/// <c>mode: Plan</c> publishes before anything changes, and what Apply publishes as it starts.
/// </summary>
internal static class MigrationPlanner
{
    public static List<PlannedAction> Build(V1Alpha1NvmeMigration migration, ValidationOutcome.Valid resolved, Func<string, V1Alpha1NvmeNode?> getNode,
        string? stateNamespace)
    {
        var source = resolved.Source;
        var destination = resolved.Destination;
        var destinationVf = getNode(destination.Node) is { } destinationNode && destination.VfAddress is { } vf
            ? NodeInventory.FindSecondary(destinationNode, vf)?.Secondary
            : null;
        var secret = StateSecret.Locate(migration, stateNamespace);
        var actions = new List<PlannedAction>();
        void Add(string node, string action, string? target, string detail) =>
            actions.Add(new PlannedAction { Order = actions.Count + 1, Node = node, Action = action, Target = target, Detail = detail });

        Add(destination.Node, "AllowResume", destination.VfAddress,
            $"secondary controller {destination.Scid} (VF {destination.VfNumber} of PF {destination.PfAddress}): role Pool -> ResumeTarget, owner {migration.Metadata.Uid}");
        Add(destination.Node, "BindVfio", destination.VfAddress,
            destinationVf?.Driver == resolved.DestinationDriver
                ? $"driver {resolved.DestinationDriver} already bound (no change)"
                : $"driver {destinationVf?.Driver ?? "none"} -> {resolved.DestinationDriver}, check /dev/vfio/{destinationVf?.IommuGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<group>"}");
        Add(source.Node, "AllowMigrate", source.VfAddress,
            $"secondary controller {source.Scid} (VF {source.VfNumber} of PF {source.PfAddress}): role Pool -> MigrationSource, owner {migration.Metadata.Uid}");
        Add(source.Node, "Suspend", source.VfAddress, "Migration Send (0x41), Suspend");
        Add(source.Node, "SaveState", source.VfAddress,
            $"Migration Receive (0x42), Get Controller State -> Secret {secret.Namespace}/{secret.Name} (at most {StateSecret.MaxStateBytes} bytes, SHA-256 recorded)");
        Add(destination.Node, "RestoreState", destination.VfAddress, "verify SHA-256, then Migration Send (0x41), Set Controller State");
        Add(destination.Node, "Resume", destination.VfAddress, "Migration Send (0x41), Resume");
        Add(source.Node, "Release", source.VfAddress, "role MigrationSource -> Pool: the suspended source controller is reset and returned to the pool");
        Add(destination.Node, "Release", destination.VfAddress, "role ResumeTarget -> Pool: the running VF is handed over (reservation dropped)");
        return actions;
    }

    /// <summary>Whether two plans say the same thing (to avoid rewriting an unchanged plan).</summary>
    public static bool SameAs(IList<PlannedAction>? left, IList<PlannedAction>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        return left.Count == right.Count && left.Zip(right).All(pair =>
            pair.First.Order == pair.Second.Order && pair.First.Node == pair.Second.Node && pair.First.Action == pair.Second.Action
            && pair.First.Target == pair.Second.Target && pair.First.Detail == pair.Second.Detail && pair.First.Disruptive == pair.Second.Disruptive);
    }
}
