using k8s;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Api.Tests;

/// <summary>The documented samples are valid objects of their CRDs and of the C# types.</summary>
public class SampleTests
{
    public static readonly TheoryData<string, string> Samples = new()
    {
        { "nvmemigration.yaml", V1Alpha1NvmeMigration.KindName },
        { "nvmenode.yaml", V1Alpha1NvmeNode.KindName },
        { "nvmevfpool.yaml", V1Alpha1NvmeVfPool.KindName },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Should_ValidateAgainstItsCrd_OnCreate(string file, string kind)
    {
        var obj = YamlJson.LoadFile(Path.Combine(RepoPaths.Samples, file));

        var errors = GeneratedCrds.Validator(kind).ValidateCreate(obj);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(kind, obj["kind"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_Should_ValidateAsUpdateOfItself(string file, string kind)
    {
        var old = YamlJson.LoadFile(Path.Combine(RepoPaths.Samples, file));
        Assert.Empty(GeneratedCrds.Validator(kind).ValidateCreate(old));
        var updated = old.DeepClone().AsObject();

        Assert.Empty(GeneratedCrds.Validator(kind).ValidateUpdate(updated, old));
    }

    [Fact]
    public void Samples_Should_CoverEveryKind()
    {
        var sampleKinds = Directory.GetFiles(RepoPaths.Samples, "*.yaml")
            .Select(f => YamlJson.LoadFile(f)["kind"]!.GetValue<string>())
            .Order();

        Assert.Equal(GeneratedCrds.ByKind.Keys.Order(), sampleKinds);
    }

    [Fact]
    public void MigrationSample_Should_DeserializeIntoTypedObject()
    {
        var json = YamlJson.LoadFile(Path.Combine(RepoPaths.Samples, "nvmemigration.yaml")).ToJsonString();

        var migration = KubernetesJson.Deserialize<V1Alpha1NvmeMigration>(json);

        Assert.Equal("worker-1", migration.Spec.Source.Node);
        Assert.Equal("0000:01:00.2", migration.Spec.Source.VfAddress);
        Assert.Equal("worker-2", migration.Spec.Destination.Node);
        Assert.Equal(MigrationMode.Plan, migration.Spec.Mode);
        Assert.Equal(StateTransferMode.Agent, migration.Spec.StateTransfer);
    }

    [Fact]
    public void NodeSample_Should_DeserializeIntoTypedObject_WithStatus()
    {
        var json = YamlJson.LoadFile(Path.Combine(RepoPaths.Samples, "nvmenode.yaml")).ToJsonString();

        var node = KubernetesJson.Deserialize<V1Alpha1NvmeNode>(json);

        var pf = Assert.Single(node.Status!.PhysicalFunctions!);
        Assert.True(pf.Capabilities!.HostManagedLiveMigration);
        Assert.Equal(SecondaryRole.MigrationSource, pf.Secondaries![1].Role);
        Assert.Equal(NodeOperationType.SaveState, node.Spec.Operations![1].Type);
        Assert.Equal("True", node.Status.Conditions![0].Status);
        Assert.Equal(OperationState.Running, node.Status.OperationResults![1].State);
    }
}
