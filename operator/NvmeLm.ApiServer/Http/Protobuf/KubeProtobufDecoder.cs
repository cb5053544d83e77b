using System.Text.Json.Nodes;
using Google.Protobuf;

namespace NvmeLm.ApiServer.Http.Protobuf;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) that kubectl's typed
/// clients send for <c>kubectl create namespace|configmap|secret</c> (and helm for its release Secrets and
/// DeleteOptions), for the built-ins whose messages are
/// small enough to map by hand (field numbers from k8s.io/api core/v1 and apimachinery meta/v1
/// generated.proto). Other kinds are refused with 415, which kubectl reports verbatim.
/// </summary>
public static class KubeProtobufDecoder
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] s_magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < s_magic.Length || !body[..s_magic.Length].SequenceEqual(s_magic))
        {
            throw Unsupported("the protobuf body does not start with the Kubernetes magic number");
        }
        // runtime.Unknown: typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4.
        string apiVersion = "", kind = "";
        ByteString raw = ByteString.Empty;
        var input = new CodedInputStream(body[s_magic.Length..].ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    var typeMeta = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint inner;
                    while ((inner = typeMeta.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(inner))
                        {
                            case 1: apiVersion = typeMeta.ReadString(); break;
                            case 2: kind = typeMeta.ReadString(); break;
                            default: typeMeta.SkipLastField(); break;
                        }
                    }
                    break;
                case 2:
                    raw = input.ReadBytes();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        var obj = (apiVersion, kind) switch
        {
            _ when AccessControlMessages.For(apiVersion, kind) is { } accessControl => accessControl(raw),
            ("v1", "Namespace") => ProtobufMessages.Namespace(raw),
            ("v1", "ConfigMap") => ProtobufMessages.ConfigMap(raw),
            ("v1", "Secret") => ProtobufMessages.Secret(raw),
            ("v1" or "meta.k8s.io/v1", "DeleteOptions") => ProtobufMessages.DeleteOptions(raw),
            _ => throw Unsupported($"protobuf bodies are only accepted for v1 Namespace, ConfigMap, Secret and DeleteOptions, not {apiVersion} {kind}; send application/json (e.g. kubectl apply -f)"),
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static ApiException Unsupported(string message) =>
        ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - {message}");
}
