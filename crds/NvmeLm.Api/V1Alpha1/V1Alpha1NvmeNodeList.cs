namespace NvmeLm.Api.V1Alpha1;

/// <summary>A list of <see cref="V1Alpha1NvmeNode"/> as the API server returns it.</summary>
public sealed class V1Alpha1NvmeNodeList : CustomResourceList<V1Alpha1NvmeNode>
{
    public V1Alpha1NvmeNodeList()
    {
        Kind = V1Alpha1NvmeNode.KindName + "List";
    }
}
