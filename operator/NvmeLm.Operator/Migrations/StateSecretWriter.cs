using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Operator.Migrations;

/// <summary>Creates and deletes the migration's state Secret (<see cref="StateSecret"/>).</summary>
/// <param name="stateNamespace">Where state Secrets live (<see cref="MigrationOptions.StateNamespace"/>); null: the migration's namespace.</param>
internal sealed class StateSecretWriter(ResourceClient<V1Secret> secrets, string? stateNamespace)
{
    /// <summary>
    /// Creates the empty state Secret owned by the migration (before Suspend is requested, so it is there when
    /// SaveState runs); a failure when a foreign one is in the way. Runs once per migration unless the operator
    /// stops between the create and the phase write (then the repeat meets 409 AlreadyExists, which is fine).
    /// </summary>
    public async Task<FailureCause?> EnsureAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        try
        {
            await secrets.CreateAsync(StateSecret.Create(migration, stateNamespace), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            var existing = await secrets.TryGetAsync(KeyOf(migration), cancellationToken).ConfigureAwait(false);
            return existing is null || StateSecret.IsOwnedBy(existing, migration)
                ? null
                : new FailureCause(FailureReasons.StateSecretConflict, $"Secret {StateSecret.NameFor(migration)} exists and is not owned by this NvmeMigration.");
        }
    }

    /// <summary>Deletes the Secret the migration used (controller state of a VM should not linger; in the migration's own namespace the owner reference is the fallback).</summary>
    public async Task DeleteAsync(V1Alpha1NvmeMigration migration, CancellationToken cancellationToken)
    {
        if (migration.Status?.SecretName is { } secret)
        {
            await secrets.DeleteAsync(new NamespacedName(stateNamespace ?? migration.Metadata.NamespaceProperty, secret), cancellationToken).ConfigureAwait(false);
        }
    }

    private NamespacedName KeyOf(V1Alpha1NvmeMigration migration) => StateSecret.Locate(migration, stateNamespace);
}
