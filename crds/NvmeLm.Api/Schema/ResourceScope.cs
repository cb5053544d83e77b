namespace NvmeLm.Api.Schema;

/// <summary>The CRD <c>scope</c>.</summary>
public enum ResourceScope
{
    Cluster,
    Namespaced,
}
