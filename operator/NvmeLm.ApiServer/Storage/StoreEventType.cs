namespace NvmeLm.ApiServer.Storage;

public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
