using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Resources;

/// <summary>Converts objects between a served version and the stored representation.</summary>
public interface IObjectConverter
{
    /// <summary>Returns the stored shape of <paramref name="served"/> (may mutate and return it).</summary>
    JsonObject ToStorage(JsonObject served, ResourceType type);

    /// <summary>
    /// Returns the served shape without mutating <paramref name="stored"/>. The result may be the stored
    /// instance itself, so callers must treat it as read-only.
    /// </summary>
    JsonObject FromStorage(JsonObject stored, ResourceType type);
}
