using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;
using NvmeLm.Operator.Tests.Infrastructure;
using NvmeLm.TestSupport;

namespace NvmeLm.Operator.Tests.Migrations;

/// <summary>
/// State Secrets in the operator's state namespace (what the chart configures, so the agents' Secret grant is one Role):
/// created and deleted there, never in the migration's namespace, and marked with the source node the chart's admission
/// policy checks the writing agent against.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StateNamespaceTests
{
    private const string SourceVf = "0000:01:00.1";
    private const string StateNamespace = "nvme-lm-state";

    [Fact]
    public async Task Migration_Should_KeepItsStateSecretInTheStateNamespace_When_OneIsConfigured()
    {
        await using var cluster = await OperatorTestCluster.StartAsync();
        await cluster.Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = StateNamespace } });
        await cluster.StartOperatorAsync(stateNamespace: StateNamespace);
        await cluster.ProvisionAsync();

        var created = await cluster.CreateMigrationAsync("move-ns", SourceVf);
        var done = await cluster.WaitForPhaseAsync("move-ns", MigrationPhase.Succeeded);
        // The state Secret is deleted after the phase is written (the cleanup that follows success): wait for it.
        await Eventually.TrueAsync(() => cluster.Server.Audit.Snapshot().Any(r => r.Resource == "secrets" && r.Verb == "delete" && r.Identity == "operator"),
            "the operator deletes the state Secret");

        var secretWrites = cluster.Server.Audit.Snapshot().Where(r => r.Resource == "secrets" && r.IsWrite && r.Identity == "operator").ToList();
        Assert.Contains(secretWrites, r => r.Verb == "create" && r.Namespace == StateNamespace && r.StatusCode == 201);
        Assert.Contains(secretWrites, r => r.Verb == "delete" && r.Namespace == StateNamespace && r.Name == StateSecret.NameFor(created));
        Assert.DoesNotContain(secretWrites, r => r.Namespace != StateNamespace);
        Assert.Equal(cluster.AgentA.Vf(SourceVf).State.Length, done.Status!.StateSizeBytes);
        Assert.Contains(done.Status.Plan!, a => a.Action == "SaveState" && a.Detail!.Contains($"Secret {StateNamespace}/", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_Should_NameTheSourceNodeAndOwnNothingAcrossNamespaces_When_InTheStateNamespace()
    {
        var migration = Migration();

        V1Secret secret = StateSecret.Create(migration, StateNamespace);

        Assert.Equal(StateNamespace, secret.Metadata.NamespaceProperty);
        Assert.Equal("node-a", secret.Metadata.Annotations[StateSecret.SourceNodeAnnotation]);
        Assert.Equal("vm-ns", secret.Metadata.Labels[StateSecret.MigrationNamespaceLabel]);
        // kube's garbage collector deletes a dependent whose owner reference names an object of another namespace.
        Assert.Null(secret.Metadata.OwnerReferences);
        Assert.True(StateSecret.IsOwnedBy(secret, migration));
        Assert.False(StateSecret.IsOwnedBy(secret, Migration(ns: "other-ns")));
    }

    [Fact]
    public void Create_Should_BeOwnedByTheMigration_When_InItsNamespace()
    {
        var migration = Migration();

        V1Secret secret = StateSecret.Create(migration, stateNamespace: null);

        Assert.Equal("vm-ns", secret.Metadata.NamespaceProperty);
        Assert.Equal("node-a", secret.Metadata.Annotations[StateSecret.SourceNodeAnnotation]);
        Assert.Equal(migration.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);
    }

    private static V1Alpha1NvmeMigration Migration(string ns = "vm-ns") => new()
    {
        ApiVersion = "nvmelm.io/v1alpha1",
        Kind = "NvmeMigration",
        Metadata = new V1ObjectMeta { Name = "move", NamespaceProperty = ns, Uid = "0f8fad5b-d9cb-469f-a165-70867728950e" },
        Spec = new V1Alpha1NvmeMigration.EntitySpec
        {
            Source = new MigrationSource { Node = "node-a", VfAddress = SourceVf },
            Destination = new MigrationDestination { Node = "node-b" },
        },
    };
}
