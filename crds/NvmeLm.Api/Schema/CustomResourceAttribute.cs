namespace NvmeLm.Api.Schema;

/// <summary>
/// CRD-level facts that <see cref="k8s.Models.KubernetesEntityAttribute"/> does not carry: scope, short
/// names, categories and singular name. The generator combines both.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CustomResourceAttribute(ResourceScope scope, string singular, params string[] shortNames) : Attribute
{
    public ResourceScope Scope { get; } = scope;
    public string Singular { get; } = singular;
    public IReadOnlyList<string> ShortNames { get; } = shortNames;
    public IReadOnlyList<string> Categories { get; init; } = [NvmeLmApi.Category];
}
