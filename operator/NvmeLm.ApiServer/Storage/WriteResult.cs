namespace NvmeLm.ApiServer.Storage;

/// <summary>Outcome of a conditional store write.</summary>
public enum WriteResult
{
    Committed,
    AlreadyExists,
    NotFound,
    /// <summary>The object changed since the caller read it; re-read and retry.</summary>
    Changed,
}
