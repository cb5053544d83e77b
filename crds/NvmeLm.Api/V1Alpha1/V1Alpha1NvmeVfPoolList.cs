namespace NvmeLm.Api.V1Alpha1;

/// <summary>A list of <see cref="V1Alpha1NvmeVfPool"/> as the API server returns it.</summary>
public sealed class V1Alpha1NvmeVfPoolList : CustomResourceList<V1Alpha1NvmeVfPool>
{
    public V1Alpha1NvmeVfPoolList()
    {
        Kind = V1Alpha1NvmeVfPool.KindName + "List";
    }
}
