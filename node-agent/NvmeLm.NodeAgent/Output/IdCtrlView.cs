using System.Text.Json.Serialization;

namespace NvmeLm.NodeAgent.Output;

/// <summary>Identify Controller fields, named as <c>nvme id-ctrl -o json</c> names them, raw numeric values.</summary>
public sealed record IdCtrlView(
    [property: JsonPropertyName("vid")] int Vid,
    [property: JsonPropertyName("ssvid")] int Ssvid,
    [property: JsonPropertyName("sn")] string Sn,
    [property: JsonPropertyName("mn")] string Mn,
    [property: JsonPropertyName("fr")] string Fr,
    [property: JsonPropertyName("cmic")] int Cmic,
    [property: JsonPropertyName("cntlid")] int Cntlid,
    [property: JsonPropertyName("ver")] long Ver,
    [property: JsonPropertyName("cntrltype")] int Cntrltype,
    [property: JsonPropertyName("oacs")] int Oacs);
