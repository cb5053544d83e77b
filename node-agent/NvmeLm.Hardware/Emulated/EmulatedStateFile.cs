using System.Text.Json;
using NvmeLm.Hardware.Host;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// Reads and writes <see cref="EmulatedHostState"/>. Writes go through <see cref="AtomicFileWriter"/>, so a process
/// killed mid-write (several agent processes may share one emulated host) leaves either the old or the new state,
/// never a torn file.
/// </summary>
public static class EmulatedStateFile
{
    public static EmulatedHostState Load(string path)
    {
        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllText(path), EmulatedJsonContext.Default.EmulatedHostState)
                ?? throw new EmulatedConfigException($"emulated host state '{path}' is empty (null)");
            return state.Version == EmulatedHostState.CurrentVersion
                ? state
                : throw new EmulatedConfigException($"emulated host state '{path}' has version {state.Version}, expected {EmulatedHostState.CurrentVersion}; delete it to start from the config");
        }
        catch (JsonException e)
        {
            throw new EmulatedConfigException($"emulated host state '{path}' is not valid JSON: {e.Message}; delete it to start from the config", e);
        }
        catch (IOException e)
        {
            throw new EmulatedConfigException($"emulated host state '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <param name="writer">Default <see cref="AtomicFileWriter.Durable"/>; tests inject crashes.</param>
    public static void Save(string path, EmulatedHostState state, AtomicFileWriter? writer = null) =>
        (writer ?? AtomicFileWriter.Durable).Write(path, stream => JsonSerializer.Serialize(stream, state, EmulatedJsonContext.Default.EmulatedHostState));

    internal static byte[] Encode(EmulatedHostState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, EmulatedJsonContext.Default.EmulatedHostState);
}
