using System.Text.Json.Nodes;
using Google.Protobuf;

namespace NvmeLm.ApiServer.Http.Protobuf;

/// <summary>
/// The authentication.k8s.io/v1 and authorization.k8s.io/v1 messages kubectl sends as protobuf: TokenRequest
/// (<c>kubectl create token</c>), SelfSubjectReview (<c>auth whoami</c>) and the access reviews (<c>auth can-i</c>);
/// field numbers from k8s.io/api authentication/v1 and authorization/v1 generated.proto. Status is the server's.
/// </summary>
internal static class AccessControlMessages
{
    /// <summary>The message decoder for an access-control kind, or null for any other kind.</summary>
    public static Func<ByteString, JsonObject>? For(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("authentication.k8s.io/v1", "TokenRequest") => TokenRequest,
        ("authentication.k8s.io/v1", "SelfSubjectReview") => raw => WithSpec(raw, _ => new JsonObject()),
        ("authorization.k8s.io/v1", "SelfSubjectAccessReview" or "SubjectAccessReview" or "LocalSubjectAccessReview") => raw => WithSpec(raw, AccessReviewSpec),
        _ => null,
    };

    // TokenRequest: metadata=1, spec=2 {audiences=1, boundObjectRef=3 {kind=1, apiVersion=2, name=3, uid=4}, expirationSeconds=4}.
    private static JsonObject TokenRequest(ByteString raw) => WithSpec(raw, spec => ProtobufMessages.Read(spec, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: Append(obj, "audiences", input.ReadString()); return true;
            case 3: obj["boundObjectRef"] = Strings(input.ReadBytes(), "kind", "apiVersion", "name", "uid"); return true;
            case 4: obj["expirationSeconds"] = input.ReadInt64(); return true;
            default: return false;
        }
    }));

    // (Self|Local)SubjectAccessReviewSpec: resourceAttributes=1, nonResourceAttributes=2, user=3, groups=4,
    // extra=5 map<string, ExtraValue{items=1}>, uid=6.
    private static JsonObject AccessReviewSpec(ByteString raw) => ProtobufMessages.Read(raw, (spec, number, input) =>
    {
        switch (number)
        {
            case 1: spec["resourceAttributes"] = Strings(input.ReadBytes(), "namespace", "verb", "group", "version", "resource", "subresource", "name"); return true;
            case 2: spec["nonResourceAttributes"] = Strings(input.ReadBytes(), "path", "verb"); return true;
            case 3: spec["user"] = input.ReadString(); return true;
            case 4: Append(spec, "groups", input.ReadString()); return true;
            case 5: Extra(spec, input.ReadBytes()); return true;
            case 6: spec["uid"] = input.ReadString(); return true;
            default: return false;
        }
    });

    /// <summary>A review-like message: metadata=1, spec=2 (decoded by <paramref name="spec"/>), status=3 ignored.</summary>
    private static JsonObject WithSpec(ByteString raw, Func<ByteString, JsonObject> spec) => ProtobufMessages.Read(raw, (obj, number, input) =>
    {
        switch (number)
        {
            case 1: obj["metadata"] = ProtobufMessages.ObjectMeta(input.ReadBytes()); return true;
            case 2: obj["spec"] = spec(input.ReadBytes()); return true;
            default: return false;
        }
    });

    /// <summary>A message of string fields numbered 1, 2, … in the order of <paramref name="names"/> (unset ones omitted).</summary>
    private static JsonObject Strings(ByteString raw, params string[] names) => ProtobufMessages.Read(raw, (obj, number, input) =>
    {
        if (number < 1 || number > names.Length)
        {
            return false;
        }
        string value = input.ReadString();
        if (value.Length > 0)
        {
            obj[names[number - 1]] = value;
        }
        return true;
    });

    private static void Extra(JsonObject spec, ByteString entry)
    {
        string key = "";
        var values = new JsonArray();
        ProtobufMessages.Read(entry, (_, number, input) =>
        {
            switch (number)
            {
                case 1: key = input.ReadString(); return true;
                case 2:
                    ProtobufMessages.Read(input.ReadBytes(), (_, n, items) =>
                    {
                        if (n != 1)
                        {
                            return false;
                        }
                        values.Add((JsonNode)items.ReadString());
                        return true;
                    });
                    return true;
                default: return false;
            }
        });
        ((spec["extra"] ??= new JsonObject()) as JsonObject)![key] = values;
    }

    private static void Append(JsonObject obj, string field, string value) =>
        ((obj[field] ??= new JsonArray()) as JsonArray)!.Add(value);
}
