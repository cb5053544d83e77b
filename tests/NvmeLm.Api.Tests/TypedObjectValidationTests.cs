using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Api.Tests;

/// <summary>What the operator and agents build in C# and send is accepted by the CRD schemas unchanged.</summary>
public class TypedObjectValidationTests
{
    private const string OwnerUid = "6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10";

    private static JsonObject ToJson(object entity) => JsonNode.Parse(KubernetesJson.Serialize(entity))!.AsObject();

    [Fact]
    public void MigrationBuiltInCode_Should_BeValid_WithStatus()
    {
        var migration = new V1Alpha1NvmeMigration { Metadata = new V1ObjectMeta { Name = "m", NamespaceProperty = "default" } };
        migration.Spec.Source = new MigrationSource { Node = "worker-1", VfAddress = "0000:01:00.2" };
        migration.Spec.Destination = new MigrationDestination { Node = "worker-2" };
        migration.Status = new V1Alpha1NvmeMigration.EntityStatus
        {
            Phase = MigrationPhase.RollingBack,
            Conditions = [new V1Condition { Type = "Ready", Status = "False", Reason = "RollingBack", Message = "destination restore failed", LastTransitionTime = DateTime.UtcNow, ObservedGeneration = 1 }],
            Source = new ResolvedEndpoint { Node = "worker-1", PfAddress = "0000:01:00.0", VfAddress = "0000:01:00.2", Scid = 2, VfNumber = 2, IommuGroup = 13 },
            Plan = [new PlannedAction { Order = 1, Node = "worker-2", Action = "BindVfio", Target = "0000:01:00.1", Detail = "driver none -> vfio-pci" }],
            Steps = [new MigrationStep { Name = "Suspend", Node = "worker-1", StartedAt = DateTime.UtcNow, Result = StepResult.RolledBack }],
            StateSha256 = new string('a', 64),
            StateSizeBytes = 8192,
        };

        Assert.Empty(GeneratedCrds.Validator(V1Alpha1NvmeMigration.KindName).ValidateCreate(ToJson(migration)));
    }

    [Fact]
    public void NodeBuiltInCode_Should_BeValid_WithInventory()
    {
        var node = new V1Alpha1NvmeNode { Metadata = new V1ObjectMeta { Name = "worker-2" } };
        node.Spec.PhysicalFunctions = [new PhysicalFunctionSpec { Address = "0000:01:00.0", NumVfs = 1, Secondaries = [new SecondaryControllerSpec { VfNumber = 1, Role = SecondaryRole.ResumeTarget, OwnerUid = OwnerUid, Queues = 2 }] }];
        node.Spec.Operations = [new NodeOperation { Id = "6c1f7f0e-restore", Type = NodeOperationType.RestoreState, VfAddress = "0000:01:00.1", OwnerUid = OwnerUid, SecretName = "m-state", SecretNamespace = "default", ExpectedSha256 = new string('b', 64) }];
        node.Status = new V1Alpha1NvmeNode.EntityStatus
        {
            PfCount = 1,
            PhysicalFunctions = [new PhysicalFunctionStatus { Address = "0000:01:00.0", Primary = new PrimaryControllerCapabilities(), Capabilities = new ControllerCapabilities(), Secondaries = [new SecondaryControllerStatus { Scid = 1, VfNumber = 1 }] }],
            OperationResults = [new NodeOperationResult { Id = "6c1f7f0e-restore", Type = NodeOperationType.RestoreState, State = OperationState.Failed, Reason = "DigestMismatch" }],
        };

        Assert.Empty(GeneratedCrds.Validator(V1Alpha1NvmeNode.KindName).ValidateCreate(ToJson(node)));
    }

    [Fact]
    public void PoolBuiltInCode_Should_BeValid_And_Rejected_WhenNumVfsMissing()
    {
        var pool = new V1Alpha1NvmeVfPool { Metadata = new V1ObjectMeta { Name = "p" } };
        pool.Status = new V1Alpha1NvmeVfPool.EntityStatus { SelectedNodes = 2, ReadyNodes = 1, Nodes = ["a", "b"] };

        // NumVfs left at 0: below the minimum of 1, so the typed default is not silently accepted.
        var error = Assert.Single(GeneratedCrds.Validator(V1Alpha1NvmeVfPool.KindName).ValidateCreate(ToJson(pool)));
        Assert.Equal("spec.numVfs", error.Field);

        pool.Spec.NumVfs = 8;
        Assert.Empty(GeneratedCrds.Validator(V1Alpha1NvmeVfPool.KindName).ValidateCreate(ToJson(pool)));
    }
}
