using System.Text.Json.Serialization;

namespace NvmeLm.NodeAgent.Output;

/// <summary>Identify CNS 0x14 fields, named as <c>nvme primary-ctrl-caps -o json</c> names them.</summary>
public sealed record PrimaryCtrlCapsView(
    [property: JsonPropertyName("cntlid")] int Cntlid,
    [property: JsonPropertyName("portid")] int Portid,
    [property: JsonPropertyName("crt")] int Crt,
    [property: JsonPropertyName("vqfrt")] long Vqfrt,
    [property: JsonPropertyName("vqrfa")] long Vqrfa,
    [property: JsonPropertyName("vqrfap")] int Vqrfap,
    [property: JsonPropertyName("vqprt")] int Vqprt,
    [property: JsonPropertyName("vqfrsm")] int Vqfrsm,
    [property: JsonPropertyName("vqgran")] int Vqgran,
    [property: JsonPropertyName("vifrt")] long Vifrt,
    [property: JsonPropertyName("virfa")] long Virfa,
    [property: JsonPropertyName("virfap")] int Virfap,
    [property: JsonPropertyName("viprt")] int Viprt,
    [property: JsonPropertyName("vifrsm")] int Vifrsm,
    [property: JsonPropertyName("vigran")] int Vigran);
