using System.Text.Json;

namespace NvmeLm.Hardware.Emulated;

/// <summary>
/// Reads and writes <see cref="EmulatedHostState"/>. Writes are atomic: the JSON goes to a temp file in the
/// same directory, is flushed to disk, then renamed over the old file, so a process killed mid-write leaves
/// either the old or the new state, never a torn file.
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

    public static void Save(string path, EmulatedHostState state)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, state, EmulatedJsonContext.Default.EmulatedHostState);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    internal static string Serialize(EmulatedHostState state) =>
        JsonSerializer.Serialize(state, EmulatedJsonContext.Default.EmulatedHostState);
}
