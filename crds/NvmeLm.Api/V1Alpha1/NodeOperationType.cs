using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>The migration operations the operator can request of an agent (DESIGN §4, seed step 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeOperationType>))]
public enum NodeOperationType
{
    /// <summary>Migration Send, Suspend: quiesce the source VF's controller.</summary>
    Suspend,

    /// <summary>Migration Receive, Get Controller State, written to a Secret.</summary>
    SaveState,

    /// <summary>Migration Send, Set Controller State, read from a Secret after checking its SHA-256.</summary>
    RestoreState,

    /// <summary>Migration Send, Resume.</summary>
    Resume,

    /// <summary>Return the VF to the pool: drop the reservation and the owner.</summary>
    Release,
}
