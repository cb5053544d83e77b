using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>How the controller state moves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StateTransferMode>))]
public enum StateTransferMode
{
    /// <summary>The agents move it with Migration Send/Receive through a Secret.</summary>
    Agent,

    /// <summary>A VFIO variant driver in the VMM moves it; agents only prepare.</summary>
    Vmm,
}
