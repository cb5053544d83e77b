using System.Reflection;
using k8s;

namespace NvmeLm.Kube.WarmUp;

/// <summary>
/// Builds the JSON serializer's metadata for a resource type before it is needed: a first (de)serialization of a type
/// — or of a property first seen set — reflects over it and emits its accessors (the custom resources have no
/// source-generated metadata), which on the one-migration demo happened inside the window for the operation results,
/// the downtime record and the trace stamps. So one <see cref="Exemplar"/> with every property set goes through
/// <see cref="KubernetesJson"/> both ways, as the clients do.
/// </summary>
internal static class SerializerWarmUp
{
    private static readonly MethodInfo s_deserialize = typeof(KubernetesJson).GetMethods()
        .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string));

    /// <summary>Serializes and deserializes an exemplar of <paramref name="type"/>; returns the JSON written.</summary>
    public static string RoundTrip(Type type)
    {
        object exemplar = Exemplar.Of(type) ?? throw new ArgumentException($"{type} has no exemplar (no parameterless constructor)", nameof(type));
        string json = KubernetesJson.Serialize(exemplar);
        s_deserialize.MakeGenericMethod(type).Invoke(null, [json, null]);
        return json;
    }
}
