using System.Text.Json.Serialization;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>VMIM <c>status</c>: the phase (see <see cref="VmimPhases"/>).</summary>
public sealed class VmimStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}
