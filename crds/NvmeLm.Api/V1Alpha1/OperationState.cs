using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Progress of one requested node operation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationState>))]
public enum OperationState
{
    Running,
    Succeeded,
    Failed,
}
