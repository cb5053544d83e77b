using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Api.Tests;

/// <summary>The types serialise with KubernetesJson's settings: camelCase, nulls omitted, enums by name.</summary>
public class SerializationTests
{
    [Fact]
    public void NewMigration_Should_CarryApiVersionKindAndSpecDefaults()
    {
        var migration = new V1Alpha1NvmeMigration();

        Assert.Equal("nvmelm.io/v1alpha1", migration.ApiVersion);
        Assert.Equal("NvmeMigration", migration.Kind);
        Assert.Equal(MigrationMode.Apply, migration.Spec.Mode);
        Assert.Equal(300, migration.Spec.TimeoutSeconds);
        Assert.Null(migration.Status);
    }

    [Fact]
    public void Serialize_Should_UseCamelCase_OmitNulls_And_WriteEnumsByName()
    {
        var migration = new V1Alpha1NvmeMigration { Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "default" } };
        migration.Spec.Source = new MigrationSource { Node = "a", VfAddress = "0000:01:00.1" };
        migration.Spec.Destination = new MigrationDestination { Node = "b" };
        migration.Status = new V1Alpha1NvmeMigration.EntityStatus { Phase = MigrationPhase.TransferringState, StateSizeBytes = 4096 };

        var json = JsonNode.Parse(KubernetesJson.Serialize(migration))!;

        Assert.Equal("a", json["spec"]!["source"]!["node"]!.GetValue<string>());
        Assert.False(json["spec"]!["destination"]!.AsObject().ContainsKey("pfAddress"));
        Assert.False(json["spec"]!.AsObject().ContainsKey("vmiName"));
        Assert.Equal("TransferringState", json["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("Agent", json["spec"]!["stateTransfer"]!.GetValue<string>());
        Assert.Equal(4096, json["status"]!["stateSizeBytes"]!.GetValue<long>());
    }

    [Fact]
    public void Enums_Should_SerialiseByName_EvenWithoutKubernetesJson()
    {
        // The enum types carry their own converter, so plain System.Text.Json callers agree with the schema.
        Assert.Equal("\"ResumeTarget\"", System.Text.Json.JsonSerializer.Serialize(SecondaryRole.ResumeTarget));
    }

    [Fact]
    public void Node_Should_RoundTripThroughKubernetesJson()
    {
        var node = new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = "worker-1" } };
        node.Spec.PhysicalFunctions =
        [
            new PhysicalFunctionSpec
            {
                Address = "0000:01:00.0",
                NumVfs = 2,
                Secondaries = [new SecondaryControllerSpec { VfNumber = 1, Role = SecondaryRole.ResumeTarget, OwnerUid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10" }],
            },
        ];
        node.Status = new V1Alpha1NvmeNode.EntityStatus
        {
            Conditions = [new V1Condition { Type = "Ready", Status = "True", Reason = "SpecApplied", Message = "", LastTransitionTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) }],
        };

        var again = KubernetesJson.Deserialize<V1Alpha1NvmeNode>(KubernetesJson.Serialize(node));

        Assert.Equal(KubernetesJson.Serialize(node), KubernetesJson.Serialize(again));
        Assert.Equal(SecondaryRole.ResumeTarget, again.Spec.PhysicalFunctions![0].Secondaries![0].Role);
        Assert.Contains("\"lastTransitionTime\":\"2026-01-02T03:04:05Z\"", KubernetesJson.Serialize(again), StringComparison.Ordinal);
    }

    [Fact]
    public void List_Should_DeserialiseAsTheServerReturnsIt()
    {
        const string json = """{"apiVersion":"nvmelm.io/v1alpha1","kind":"NvmeVfPoolList","metadata":{"resourceVersion":"7"},"items":[{"apiVersion":"nvmelm.io/v1alpha1","kind":"NvmeVfPool","metadata":{"name":"p"},"spec":{"numVfs":4}}]}""";

        var list = KubernetesJson.Deserialize<V1Alpha1NvmeVfPoolList>(json);

        Assert.Equal("7", list.Metadata.ResourceVersion);
        Assert.Equal(4, Assert.Single(list.Items).Spec.NumVfs);
        Assert.Equal("vfio-pci", list.Items[0].Spec.VfioDriver);
    }
}
