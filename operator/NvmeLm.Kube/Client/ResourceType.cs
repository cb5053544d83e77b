using System.Reflection;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>
/// Where a kind lives in the API: group, version and plural build the URL, so built-in kinds and custom
/// resources take the same code path (core group "" → <c>/api/v1</c>, others → <c>/apis/{group}/{version}</c>).
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind)
{
    /// <summary>The <c>apiVersion</c> string of the kind (<c>v1</c> or <c>group/version</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Reads the <see cref="KubernetesEntityAttribute"/> that KubernetesClient models and our CRD types carry.</summary>
    public static ResourceType Of<T>() => Of(typeof(T));

    /// <inheritdoc cref="Of{T}()"/>
    public static ResourceType Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attribute = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException(
                $"{type.FullName} has no [KubernetesEntity] attribute; pass a ResourceType explicitly.", nameof(type));
        if (string.IsNullOrEmpty(attribute.ApiVersion) || string.IsNullOrEmpty(attribute.PluralName)
            || string.IsNullOrEmpty(attribute.Kind))
        {
            throw new ArgumentException(
                $"[KubernetesEntity] on {type.FullName} must set Kind, ApiVersion and PluralName.", nameof(type));
        }

        return new ResourceType(attribute.Group ?? string.Empty, attribute.ApiVersion, attribute.PluralName, attribute.Kind);
    }

    /// <summary>The relative URL of a collection or of one object (optionally a subresource such as <c>status</c>).</summary>
    public string Path(string? ns, string? name = null, string? subresource = null)
    {
        var prefix = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        var path = string.IsNullOrEmpty(ns)
            ? $"{prefix}/{Plural}"
            : $"{prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
        if (name is not null)
        {
            path += "/" + Uri.EscapeDataString(name);
        }

        if (subresource is not null)
        {
            path += "/" + subresource;
        }

        return path;
    }
}
