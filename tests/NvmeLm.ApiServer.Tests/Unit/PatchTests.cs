using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.ApiServer.Builtins.Schemas;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Patching;

namespace NvmeLm.ApiServer.Tests.Unit;

public sealed class PatchTests
{
    private static readonly MergeType s_pod = BuiltinSchemas.MergeTypeOf(typeof(V1Pod), "");

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void StrategicMerge_Should_KeyServicePortsByPort_And_ContainerPortsByContainerPort()
    {
        var service = BuiltinSchemas.MergeTypeOf(typeof(V1Service), "");

        var result = StrategicMerge.Apply(
            Parse("""{"spec":{"ports":[{"port":80,"name":"http"}]}}"""), Parse("""{"spec":{"ports":[{"port":443,"name":"https"}]}}"""), service);

        Assert.Equal([80, 443], result!["spec"]!["ports"]!.AsArray().Select(p => p!["port"]!.GetValue<int>()));
    }

    [Fact]
    public void MergePatch_Should_MergeObjects_ReplaceLists_AndDeleteNulls()
    {
        var result = MergePatch.Apply(Parse("""{"a":{"b":1,"c":2},"l":[1,2],"d":1}"""), Parse("""{"a":{"b":9},"l":[3],"d":null}"""));

        Assert.True(JsonNode.DeepEquals(Parse("""{"a":{"b":9,"c":2},"l":[3]}"""), result));
    }

    [Fact]
    public void JsonPatch_Should_ApplyAllOperations()
    {
        var patch = Parse("""
            [{"op":"add","path":"/list/-","value":3},
             {"op":"replace","path":"/a","value":"x"},
             {"op":"copy","from":"/a","path":"/b"},
             {"op":"move","from":"/c","path":"/d"},
             {"op":"remove","path":"/list/0"},
             {"op":"test","path":"/b","value":"x"},
             {"op":"add","path":"/with~1slash","value":true}]
            """);

        var result = JsonPatch.Apply(Parse("""{"a":1,"c":2,"list":[1,2]}"""), patch);

        Assert.True(JsonNode.DeepEquals(Parse("""{"a":"x","list":[2,3],"b":"x","d":2,"with/slash":true}"""), result), result.ToJsonString());
    }

    [Fact]
    public void JsonPatch_Should_Fail422_When_TestFails()
    {
        var error = Assert.Throws<ApiException>(() => JsonPatch.Apply(Parse("""{"a":1}"""), Parse("""[{"op":"test","path":"/a","value":2}]""")));

        Assert.Equal(422, error.Code);
    }

    [Fact]
    public void JsonPatch_Should_Fail_When_PathIsMissing()
    {
        var error = Assert.Throws<ApiException>(() => JsonPatch.Apply(Parse("""{"a":1}"""), Parse("""[{"op":"remove","path":"/b"}]""")));

        Assert.Equal(422, error.Code);
    }

    [Fact]
    public void StrategicMerge_Should_MergeNamedListItemsByKey()
    {
        var target = Parse("""{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"X","value":"1"}]},{"name":"b","image":"b:1"}]}}""");
        var patch = Parse("""{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}]},{"name":"c","image":"c:1"}]}}""");

        var result = StrategicMerge.Apply(target, patch, s_pod);

        Assert.True(JsonNode.DeepEquals(Parse("""
            {"spec":{"containers":[
              {"name":"a","image":"a:1","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}]},
              {"name":"b","image":"b:1"},
              {"name":"c","image":"c:1"}]}}
            """), result), result!.ToJsonString());
    }

    [Fact]
    public void StrategicMerge_Should_HonourDeleteDirectives()
    {
        var target = Parse("""{"metadata":{"finalizers":["a","b"]},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Other","status":"False"}]}}""");
        var patch = Parse("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},
             "status":{"$setElementOrder/conditions":[{"type":"Ready"}],"conditions":[{"type":"Other","$patch":"delete"}]}}
            """);

        var result = StrategicMerge.Apply(target, patch, s_pod);

        Assert.True(JsonNode.DeepEquals(Parse("""{"metadata":{"finalizers":["b"]},"status":{"conditions":[{"type":"Ready","status":"True"}]}}"""), result), result!.ToJsonString());
    }

    [Fact]
    public void StrategicMerge_Should_UnionFinalizers_And_ReplaceUnkeyedLists()
    {
        var result = StrategicMerge.Apply(
            Parse("""{"metadata":{"finalizers":["a"]},"spec":{"args":["x","y"]}}"""),
            Parse("""{"metadata":{"finalizers":["b"]},"spec":{"args":["z"]}}"""),
            s_pod);

        Assert.True(JsonNode.DeepEquals(Parse("""{"metadata":{"finalizers":["a","b"]},"spec":{"args":["z"]}}"""), result), result!.ToJsonString());
    }

    [Fact]
    public void StrategicMerge_Should_ReplaceMap_When_PatchDirectiveIsReplace()
    {
        var result = StrategicMerge.Apply(Parse("""{"data":{"a":"1","b":"2"}}"""), Parse("""{"data":{"$patch":"replace","c":"3"}}"""),
            BuiltinSchemas.MergeTypeOf(typeof(V1ConfigMap), ""));

        Assert.True(JsonNode.DeepEquals(Parse("""{"data":{"c":"3"}}"""), result), result!.ToJsonString());
    }
}
