namespace NvmeLm.Api.V1Alpha1;

/// <summary>A list of <see cref="V1Alpha1NvmeMigration"/> as the API server returns it.</summary>
public sealed class V1Alpha1NvmeMigrationList : CustomResourceList<V1Alpha1NvmeMigration>
{
    public V1Alpha1NvmeMigrationList()
    {
        Kind = V1Alpha1NvmeMigration.KindName + "List";
    }
}
