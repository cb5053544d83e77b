using System.Text.Json.Serialization;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>Source-generated JSON for the agent's own host files (no reflection).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OperationJournalFile))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
}
