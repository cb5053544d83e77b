using System.Text.Json.Serialization;

namespace NvmeLm.Hardware.Journal;

/// <summary>Source-generated JSON for journal records: no reflection, trimming-safe, fast start-up.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PfJournalRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
}
