using NvmeLm.ApiServer.Validation;

namespace NvmeLm.Api.Tests;

/// <summary>
/// The CRDs' CEL rules and schema bounds, evaluated by the embedded API server's validator against the
/// committed YAML: each bad object is rejected with its rule's message, and near-misses are accepted.
/// </summary>
public class CrdRuleTests
{
    private const string Mig = "NvmeMigration";
    private const string Node = "NvmeNode";
    private const string Pool = "NvmeVfPool";
    private const string MigSample = "nvmemigration.yaml";
    private const string NodeSample = "nvmenode.yaml";
    private const string PoolSample = "nvmevfpool.yaml";

    public static readonly TheoryData<CrdRuleCase> BadObjects = new()
    {
        new("same node without allowSameNode", Mig, MigSample, false, "spec.destination.node",
            "spec.destination.node: Invalid value: \"object\": source.node and destination.node must differ unless allowSameNode is true",
            ("spec.destination.node", "\"worker-1\"")),
        new("no source VF and no VMI", Mig, MigSample, false, "spec.source.vfAddress",
            "spec.source.vfAddress: Invalid value: \"object\": source.vfAddress is required unless vmiName names the VMI that holds the VF",
            ("spec.source.vfAddress", null)),
        new("source edited", Mig, MigSample, true, "spec.source",
            "spec.source: Invalid value: \"object\": source is immutable", ("spec.source.node", "\"worker-3\"")),
        new("destination VF pinned later", Mig, MigSample, true, "spec.destination",
            "spec.destination: Invalid value: \"object\": destination is immutable", ("spec.destination.vfAddress", "\"0000:01:00.3\"")),
        new("vmiName added", Mig, MigSample, true, "spec.vmiName",
            "spec.vmiName: Invalid value: \"object\": vmiName is immutable", ("spec.vmiName", "\"vm1\"")),
        new("stateTransfer edited", Mig, MigSample, true, "spec.stateTransfer",
            "spec.stateTransfer: Invalid value: \"string\": stateTransfer is immutable", ("spec.stateTransfer", "\"Vmm\"")),
        new("timeout below minimum", Mig, MigSample, false, "spec.timeoutSeconds",
            "spec.timeoutSeconds: Invalid value: 5: spec.timeoutSeconds in body should be greater than or equal to 10", ("spec.timeoutSeconds", "5")),
        new("unknown mode", Mig, MigSample, false, "spec.mode",
            "spec.mode: Unsupported value: \"DryRun\": supported values: \"Apply\", \"Plan\"", ("spec.mode", "\"DryRun\"")),
        new("source VF not a PCI address", Mig, MigSample, false, "spec.source.vfAddress",
            "spec.source.vfAddress: Invalid value: \"01:00.2\": spec.source.vfAddress in body should match '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$'",
            ("spec.source.vfAddress", "\"01:00.2\"")),
        new("node name not DNS-1123", Mig, MigSample, false, "spec.destination.node",
            "spec.destination.node: Invalid value: \"Worker_2\": spec.destination.node in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
            ("spec.destination.node", "\"Worker_2\"")),
        new("no destination", Mig, MigSample, false, "spec.destination", "spec.destination: Required value", ("spec.destination", null)),
        new("pool numVfs above 255", Pool, PoolSample, false, "spec.numVfs",
            "spec.numVfs: Invalid value: 300: spec.numVfs in body should be less than or equal to 255", ("spec.numVfs", "300")),
        new("pool queues 1", Pool, PoolSample, false, "spec.queues",
            "spec.queues: Invalid value: \"object\": queues must be at least 2 (one admin and one I/O queue) when set", ("spec.queues", "1")),
        new("pool empty controller selector", Pool, PoolSample, false, "spec.controllerSelector",
            "spec.controllerSelector: Invalid value: \"object\": controllerSelector must set at least one field; omit it to select every PF that supports Virtualization Management",
            ("spec.controllerSelector", "{}")),
        new("pool vendor id not hex", Pool, PoolSample, false, "spec.controllerSelector.vendorId",
            "spec.controllerSelector.vendorId: Invalid value: \"1b36\": spec.controllerSelector.vendorId in body should match '^0x[0-9a-f]{4}$'",
            ("spec.controllerSelector.vendorId", "\"1b36\"")),
        new("node secondary beyond numVfs", Node, NodeSample, false, "spec.physicalFunctions[0].secondaries",
            "spec.physicalFunctions[0].secondaries: Invalid value: \"object\": every secondaries[].vfNumber must be at most numVfs",
            ("spec.physicalFunctions.[0].numVfs", "1")),
        new("node migration source without owner", Node, NodeSample, false, "spec.physicalFunctions[0].secondaries[1].ownerUid",
            "spec.physicalFunctions[0].secondaries[1].ownerUid: Invalid value: \"object\": ownerUid is required when role is MigrationSource or ResumeTarget",
            ("spec.physicalFunctions.[0].secondaries.[1].ownerUid", null)),
        new("node secondary queues 1", Node, NodeSample, false, "spec.physicalFunctions[0].secondaries[0].queues",
            "spec.physicalFunctions[0].secondaries[0].queues: Invalid value: \"object\": queues must be at least 2 (one admin and one I/O queue) when set",
            ("spec.physicalFunctions.[0].secondaries.[0].queues", "1")),
        new("save state without secret", Node, NodeSample, false, "spec.operations[1].secretName",
            "spec.operations[1].secretName: Invalid value: \"object\": secretName is required for SaveState and RestoreState",
            ("spec.operations.[1].secretName", null)),
        new("restore state without digest", Node, NodeSample, false, "spec.operations[1].expectedSha256",
            "spec.operations[1].expectedSha256: Invalid value: \"object\": expectedSha256 or stateFrom is required for RestoreState",
            ("spec.operations.[1].type", "\"RestoreState\"")),
        new("stateFrom on a save", Node, NodeSample, false, "spec.operations[1].stateFrom",
            "spec.operations[1].stateFrom: Invalid value: \"object\": stateFrom is only for RestoreState",
            ("spec.operations.[1].stateFrom", """{"node":"worker-1","operationId":"x-save-state"}""")),
        new("operation edited in place", Node, NodeSample, true, "spec.operations[0]",
            "spec.operations[0]: Invalid value: \"object\": an operation is immutable once requested; request a new id instead",
            ("spec.operations.[0].vfAddress", "\"0000:01:00.3\"")),
        new("duplicate PF in spec", Node, NodeSample, false, "spec.physicalFunctions[1]",
            "spec.physicalFunctions[1]: Invalid value: \"0000:01:00.0\": duplicate entries for key [address=\"0000:01:00.0\"]",
            ("spec.physicalFunctions.[1]", """{"address":"0000:01:00.0","numVfs":0}""")),
    };

    [Theory]
    [MemberData(nameof(BadObjects))]
    public void BadObject_Should_BeRejected_WithItsRuleMessage(CrdRuleCase bad)
    {
        var validator = GeneratedCrds.Validator(bad.Kind);

        var errors = bad.IsUpdate ? validator.ValidateUpdate(bad.Edited(), bad.Load()) : validator.ValidateCreate(bad.Edited());

        Assert.NotEmpty(errors);
        Assert.Equal(bad.Field, errors[0].Field);
        Assert.Equal(bad.Message, errors[0].Message);

        // Besides the expected error only kube's knock-on errors may appear: a rule that could not read the
        // missing field, or the note that rules were skipped after a type/enum error.
        Assert.All(errors.Skip(1), e => Assert.True(
            e.Message.Contains("evaluating rule:", StringComparison.Ordinal) || e.Message.Contains("some validation rules were not checked", StringComparison.Ordinal),
            e.Message));
    }

    [Fact]
    public void SameNode_Should_BeAccepted_When_AllowSameNode()
    {
        var ok = new CrdRuleCase("same node allowed", Mig, MigSample, false, "", "",
            ("spec.destination.node", "\"worker-1\""), ("spec.allowSameNode", "true"));

        Assert.Empty(GeneratedCrds.Validator(Mig).ValidateCreate(ok.Edited()));
    }

    [Fact]
    public void RestoreState_Should_BeAccepted_When_ArmedWithStateFromInsteadOfADigest()
    {
        // The destination is armed before the source is suspended (DESIGN §4.1): no digest yet, the source's SaveState instead.
        var ok = new CrdRuleCase("armed restore", Node, NodeSample, false, "", "",
            ("spec.operations.[1].type", "\"RestoreState\""),
            ("spec.operations.[1].stateFrom", """{"node":"worker-2","operationId":"6c1f7f0e-save-state"}"""));

        Assert.Empty(GeneratedCrds.Validator(Node).ValidateCreate(ok.Edited()));
    }

    [Fact]
    public void VmiName_Should_ReplaceSourceVfAddress()
    {
        var ok = new CrdRuleCase("vmi resolves the source", Mig, MigSample, false, "", "",
            ("spec.source.vfAddress", null), ("spec.vmiName", "\"vm1\""));

        Assert.Empty(GeneratedCrds.Validator(Mig).ValidateCreate(ok.Edited()));
    }

    [Fact]
    public void Mode_Should_ChangeFromPlanToApply_ButNotBack()
    {
        var validator = GeneratedCrds.Validator(Mig);
        var planned = new CrdRuleCase("plan", Mig, MigSample, true, "", "").Load();
        var applied = new CrdRuleCase("apply", Mig, MigSample, true, "", "", ("spec.mode", "\"Apply\"")).Edited();

        Assert.Empty(validator.ValidateUpdate(applied.DeepClone().AsObject(), planned));
        var error = Assert.Single(validator.ValidateUpdate(planned.DeepClone().AsObject(), applied));
        Assert.Equal("spec.mode: Invalid value: \"string\": mode can only change from Plan to Apply", error.Message);
    }

    [Fact]
    public void Operations_Should_AcceptNewIds_And_Removals_OnUpdate()
    {
        var validator = GeneratedCrds.Validator(Node);
        var old = new CrdRuleCase("node", Node, NodeSample, true, "", "").Load();
        var edited = new CrdRuleCase("node", Node, NodeSample, true, "", "",
            ("spec.operations.[0]", """{"id":"6c1f7f0e-resume","type":"Resume","vfAddress":"0000:01:00.2","ownerUid":"6c1f7f0e-3b1d-4c51-9a0e-2f2d8f1b7a10"}""")).Edited();

        Assert.Empty(validator.ValidateUpdate(edited, old));
    }

    [Fact]
    public void Create_Should_ApplyCrdDefaults()
    {
        var migration = new CrdRuleCase("minimal", Mig, MigSample, false, "", "",
            ("spec.allowSameNode", null), ("spec.stateTransfer", null), ("spec.mode", null), ("spec.timeoutSeconds", null)).Edited();

        Assert.Empty(GeneratedCrds.Validator(Mig).ValidateCreate(migration));

        Assert.Equal("""{"source":{"node":"worker-1","vfAddress":"0000:01:00.2"},"destination":{"node":"worker-2","pfAddress":"0000:01:00.0"},"allowSameNode":false,"stateTransfer":"Agent","mode":"Apply","timeoutSeconds":300}""",
            migration["spec"]!.ToJsonString());
    }

    [Fact]
    public void Status_Should_BeValidatedToo()
    {
        var node = new CrdRuleCase("status", Node, NodeSample, false, "", "",
            ("status.conditions.[0].status", "\"Yes\"")).Edited();

        var error = GeneratedCrds.Validator(Node).ValidateCreate(node)[0];
        Assert.Equal(FieldErrorType.NotSupported, error.Type);
        Assert.Equal("status.conditions[0].status", error.Field);
    }
}
