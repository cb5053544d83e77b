using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Resources;

/// <summary>
/// The "None" conversion strategy of CRDs: versions differ only in <c>apiVersion</c>. Objects are stored
/// with the apiVersion they were written with; reads rewrite it to the version asked for.
/// </summary>
public sealed class ApiVersionConverter : IObjectConverter
{
    public static ApiVersionConverter Instance { get; } = new();

    public JsonObject ToStorage(JsonObject served, ResourceType type)
    {
        served["apiVersion"] = type.ApiVersion;
        served["kind"] = type.Kind;
        return served;
    }

    public JsonObject FromStorage(JsonObject stored, ResourceType type)
    {
        if (stored["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            return stored;
        }
        var copy = (JsonObject)stored.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        copy["kind"] = type.Kind;
        return copy;
    }
}
