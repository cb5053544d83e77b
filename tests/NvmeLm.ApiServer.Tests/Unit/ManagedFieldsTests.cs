using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class ManagedFieldsTests
{
    private static readonly MergeType s_widget = ResourceMergeTypes.Root(MergeTypeBuilder.Inline.Build(JsonNode.Parse("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "replicas":{"type":"integer"},
          "items":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},"size":{"type":"integer"}}}},
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "legacy":{"type":"array","x-kubernetes-patch-strategy":"merge","x-kubernetes-patch-merge-key":"id","items":{"type":"object"}},
          "args":{"type":"array","items":{"type":"string"}}}}}}
        """)!.AsObject()));

    [Fact]
    public void FieldSet_Should_RoundTripFieldsV1_WithSelfMarkers()
    {
        const string FieldsV1 = """{"f:spec":{"f:items":{"k:{\"name\":\"a\"}":{".":{},"f:name":{},"f:size":{}}},"f:replicas":{}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(FieldsV1));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FieldsV1), set.ToFieldsV1()), set.ToFieldsV1().ToJsonString());
        Assert.Equal([".spec.items[name=\"a\"]", ".spec.items[name=\"a\"].name", ".spec.items[name=\"a\"].size", ".spec.replicas"],
            set.MemberPaths().Select(PathElements.Display));
    }

    [Fact]
    public void Compare_Should_ReportChangedItemFieldsAndRemovedItems()
    {
        var before = Widget("""{"replicas":1,"items":[{"name":"a","size":1},{"name":"b","size":2}],"tags":["x"]}""");
        var after = Widget("""{"replicas":1,"items":[{"name":"a","size":5}],"tags":["x","y"]}""");

        var comparison = ObjectComparer.Compare(before, after, s_widget);

        Assert.Equal([".spec.items[name=\"a\"].size", ".spec.tags[=\"y\"]"], comparison.Changed.MemberPaths().Select(PathElements.Display));
        Assert.Equal([".spec.items[name=\"b\"]", ".spec.items[name=\"b\"].name", ".spec.items[name=\"b\"].size"],
            comparison.Removed.MemberPaths().Select(PathElements.Display));
    }

    [Fact]
    public void Apply_Should_KeepItemsOtherManagersOwn_And_PruneWhatTheApplierDropped()
    {
        var fields = new FieldManager(() => "2026-01-01T00:00:00Z");
        var first = fields.Apply(null, Widget("""{"replicas":1,"items":[{"name":"a","size":1},{"name":"b","size":2}]}"""), s_widget, Manager("one"), force: false);
        var second = fields.Apply(first, Widget("""{"items":[{"name":"c","size":3}]}"""), s_widget, Manager("two"), force: false);

        var third = fields.Apply(second, Widget("""{"items":[{"name":"a","size":1}]}"""), s_widget, Manager("one"), force: false);

        Assert.Equal(["a", "c"], third["spec"]!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Null(third["spec"]!["replicas"]);
        Assert.Equal(["one", "two"], ManagedFieldsCodec.Decode(third["metadata"]!["managedFields"]).Select(e => e.Manager));
    }

    [Fact]
    public void Apply_Should_Refuse_When_ChangingAnotherManagersField_UnlessForced()
    {
        var fields = new FieldManager(() => "2026-01-01T00:00:00Z");
        var live = fields.Apply(null, Widget("""{"replicas":1}"""), s_widget, Manager("one"), force: false);

        var error = Assert.Throws<ApiException>(() => fields.Apply(live, Widget("""{"replicas":2}"""), s_widget, Manager("two"), force: false));
        var forced = fields.Apply(live, Widget("""{"replicas":2}"""), s_widget, Manager("two"), force: true);

        Assert.Equal(409, error.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"one\": .spec.replicas", error.Message);
        Assert.Equal("FieldManagerConflict", error.Details!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(["two"], ManagedFieldsCodec.Decode(forced["metadata"]!["managedFields"]).Select(e => e.Manager));
    }

    [Fact]
    public void RecordUpdate_Should_MoveOwnershipOfChangedFieldsToTheUpdater()
    {
        var fields = new FieldManager(() => "2026-01-01T00:00:00Z");
        var live = fields.Apply(null, Widget("""{"replicas":1,"args":["x"]}"""), s_widget, Manager("applier"), force: false);
        var next = (JsonObject)live.DeepClone();
        next["spec"]!["replicas"] = 3;

        fields.RecordUpdate(live, next, s_widget, Manager("scaler"));

        var entries = ManagedFieldsCodec.Decode(next["metadata"]!["managedFields"]);
        Assert.Equal([".spec.args"], entries.Single(e => e.Manager == "applier").Fields.MemberPaths().Select(PathElements.Display));
        var scaler = entries.Single(e => e.Manager == "scaler");
        Assert.Equal(("Update", "v1"), (scaler.Operation, scaler.ApiVersion));
        Assert.Equal([".spec.replicas"], scaler.Fields.MemberPaths().Select(PathElements.Display));
    }

    [Theory]
    [InlineData("""{"f:a":{".":{},"f:b":{}}}""", """{"f:a":{"f:b":{}}}""", """{"f:a":{}}""")]
    [InlineData("""{"f:a":{".":{},"f:b":{}}}""", """{"f:a":{}}""", """{"f:a":{"f:b":{}}}""")]
    [InlineData("""{"f:a":{"f:b":{},"f:c":{}}}""", """{"f:a":{"f:b":{},"f:c":{}}}""", """{}""")]
    public void FieldsV1Editor_Remove_Should_KeepMembershipMarkersRight(string stored, string remove, string expected)
    {
        var fields = JsonNode.Parse(stored)!.AsObject();

        FieldsV1Editor.Remove(fields, FieldSet.FromFieldsV1(JsonNode.Parse(remove)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), fields), fields.ToJsonString());
    }

    [Theory]
    [InlineData("""{"f:a":{}}""", """{"f:a":{"f:b":{}}}""", """{"f:a":{".":{},"f:b":{}}}""")]
    [InlineData("""{"f:a":{"f:b":{}}}""", """{"f:c":{}}""", """{"f:a":{"f:b":{}},"f:c":{}}""")]
    public void FieldsV1Editor_Add_Should_MatchTheSetUnion(string stored, string add, string expected)
    {
        var fields = JsonNode.Parse(stored)!.AsObject();

        FieldsV1Editor.Add(fields, FieldSet.FromFieldsV1(JsonNode.Parse(add)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), fields), fields.ToJsonString());
    }

    [Fact]
    public void MergeTypeBuilder_Should_ReadPatchMergeKeyAsAKeyedList_And_PlainListsAsAtomic()
    {
        var spec = s_widget.FieldType("spec");

        Assert.Equal(MergeKind.AssociativeList, spec.FieldType("legacy").Kind);
        Assert.Equal(["id"], spec.FieldType("legacy").Keys);
        Assert.Equal(MergeKind.Atomic, spec.FieldType("args").Kind);
        Assert.Equal(MergeKind.Set, spec.FieldType("tags").Kind);
    }

    private static WriteManager Manager(string name) => new(name, "v1", null);

    private static JsonObject Widget(string spec) => new()
    {
        ["apiVersion"] = "example.io/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w" },
        ["spec"] = JsonNode.Parse(spec),
    };
}
