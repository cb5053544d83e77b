using System.Text.Json.Nodes;
using Google.Protobuf;

namespace NvmeLm.ApiServer.Http.Protobuf;

/// <summary>The core/v1 and meta/v1 messages <see cref="KubeProtobufDecoder"/> understands, as JSON objects.</summary>
internal static class ProtobufMessages
{
    // core/v1 Namespace: metadata=1, spec=2 {finalizers=1}, status=3 (ignored: set by the server).
    public static JsonObject Namespace(ByteString raw) => Read(raw, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: obj["metadata"] = ObjectMeta(input.ReadBytes()); return true;
            case 2:
                obj["spec"] = Read(input.ReadBytes(), (spec, n, s) =>
                {
                    if (n != 1)
                    {
                        return false;
                    }
                    ((spec["finalizers"] ??= new JsonArray()) as JsonArray)!.Add(s.ReadString());
                    return true;
                });
                return true;
            default: return false;
        }
    });

    // core/v1 ConfigMap: metadata=1, data=2 map<string,string>, binaryData=3 map<string,bytes>, immutable=4.
    public static JsonObject ConfigMap(ByteString raw) => Read(raw, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: obj["metadata"] = ObjectMeta(input.ReadBytes()); return true;
            case 2: MapEntry(obj, "data", input.ReadBytes(), base64: false); return true;
            case 3: MapEntry(obj, "binaryData", input.ReadBytes(), base64: true); return true;
            case 4: obj["immutable"] = input.ReadBool(); return true;
            default: return false;
        }
    });

    // core/v1 Secret: metadata=1, data=2 map<string,bytes>, type=3, stringData=4 map<string,string>, immutable=5.
    public static JsonObject Secret(ByteString raw) => Read(raw, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: obj["metadata"] = ObjectMeta(input.ReadBytes()); return true;
            case 2: MapEntry(obj, "data", input.ReadBytes(), base64: true); return true;
            case 3: obj["type"] = input.ReadString(); return true;
            case 4: MapEntry(obj, "stringData", input.ReadBytes(), base64: false); return true;
            case 5: obj["immutable"] = input.ReadBool(); return true;
            default: return false;
        }
    });

    // meta/v1 DeleteOptions (helm's uninstall sends it): gracePeriodSeconds=1, preconditions=2 {uid=1,
    // resourceVersion=2}, orphanDependents=3, propagationPolicy=4, dryRun=5 (repeated).
    public static JsonObject DeleteOptions(ByteString raw) => DropEmptyStrings(Read(raw, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: obj["gracePeriodSeconds"] = input.ReadInt64(); return true;
            case 2:
                obj["preconditions"] = DropEmptyStrings(Read(input.ReadBytes(), (pre, n, s) =>
                {
                    switch (n)
                    {
                        case 1: pre["uid"] = s.ReadString(); return true;
                        case 2: pre["resourceVersion"] = s.ReadString(); return true;
                        default: return false;
                    }
                }));
                return true;
            case 3: obj["orphanDependents"] = input.ReadBool(); return true;
            case 4: obj["propagationPolicy"] = input.ReadString(); return true;
            case 5: ((obj["dryRun"] ??= new JsonArray()) as JsonArray)!.Add(input.ReadString()); return true;
            default: return false;
        }
    }));

    // meta/v1 ObjectMeta: name=1, generateName=2, namespace=3, uid=5, resourceVersion=6, generation=7,
    // labels=11, annotations=12, finalizers=14 (server-owned and unknown fields are skipped).
    internal static JsonObject ObjectMeta(ByteString raw) => DropEmptyStrings(Read(raw, (meta, number, input) =>
    {
        switch (number)
        {
            case 1: meta["name"] = input.ReadString(); return true;
            case 2: meta["generateName"] = input.ReadString(); return true;
            case 3: meta["namespace"] = input.ReadString(); return true;
            case 5: meta["uid"] = input.ReadString(); return true;
            case 6: meta["resourceVersion"] = input.ReadString(); return true;
            case 7: meta["generation"] = input.ReadInt64(); return true;
            case 11: MapEntry(meta, "labels", input.ReadBytes(), base64: false); return true;
            case 12: MapEntry(meta, "annotations", input.ReadBytes(), base64: false); return true;
            case 14: ((meta["finalizers"] ??= new JsonArray()) as JsonArray)!.Add(input.ReadString()); return true;
            default: return false;
        }
    }));

    /// <summary>k8s messages are proto2, so unset strings arrive as ""; JSON omits them.</summary>
    private static JsonObject DropEmptyStrings(JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }
        return obj;
    }

    /// <summary>A proto map entry {key=1, value=2}; bytes values become base64 as in JSON.</summary>
    private static void MapEntry(JsonObject owner, string field, ByteString raw, bool base64)
    {
        string key = "";
        JsonNode value = "";
        var input = new CodedInputStream(raw.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = base64 ? input.ReadBytes().ToBase64() : input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        ((owner[field] ??= new JsonObject()) as JsonObject)![key] = value;
    }

    internal static JsonObject Read(ByteString raw, Func<JsonObject, int, CodedInputStream, bool> field)
    {
        var obj = new JsonObject();
        var input = new CodedInputStream(raw.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!field(obj, WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
        return obj;
    }
}
