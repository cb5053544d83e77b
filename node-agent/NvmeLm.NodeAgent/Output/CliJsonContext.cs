using System.Text.Json.Serialization;

namespace NvmeLm.NodeAgent.Output;

/// <summary>
/// Source-generated serializers for the CLI's <c>--json</c> output: no reflection at start-up, safe to trim.
/// camelCase except where a field deliberately carries nvme-cli's name.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(InventoryView))]
[JsonSerializable(typeof(CommandView))]
public sealed partial class CliJsonContext : JsonSerializerContext
{
}
