using System.Text.Json.Serialization;

namespace NvmeLm.Hardware.Emulated;

/// <summary>Source-generated JSON metadata (the hardware assembly is trimmable, so no reflection serialization).</summary>
[JsonSourceGenerationOptions(
    // Metadata mode: the fast-path serializer wrote null byte[] (no restored/pending controller state) as ""
    // in the agent process, which the next process read back as an empty state (dotnet/runtime#129833).
    GenerationMode = JsonSourceGenerationMode.Metadata,
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
