using System.Text.Json.Serialization;

namespace NvmeLm.Hardware.Emulated;

/// <summary>Source-generated JSON metadata (the hardware assembly is trimmable, so no reflection serialization).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EmulatedHostConfig))]
[JsonSerializable(typeof(EmulatedHostState))]
internal sealed partial class EmulatedJsonContext : JsonSerializerContext
{
}
