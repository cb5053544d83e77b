namespace NvmeLm.DevCluster.Storage;

public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
