using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NvmeLm.CrdGen;

/// <summary>The JSON names KubernetesJson gives CLR properties: an explicit name, else camelCase.</summary>
public static class JsonNames
{
    /// <summary>The properties KubernetesJson serialises: public, readable and writable, not ignored.</summary>
    public static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .OrderBy(p => p.MetadataToken);

    public static string Of(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
