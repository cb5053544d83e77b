using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Resources;

/// <summary>
/// Type-specific behaviour around the generic write path, in the role of a kube-apiserver registry
/// strategy: defaults on create/update, built-in validation, and a hook after a change is committed.
/// </summary>
public interface IResourceStrategy
{
    void PrepareForCreate(JsonObject obj);

    void PrepareForUpdate(JsonObject obj, JsonObject old);

    IReadOnlyList<InvalidCause> Validate(JsonObject obj, JsonObject? old);

    /// <summary>Runs synchronously after the store committed a change, before the client gets its answer.</summary>
    void Committed(StoreEventType change, JsonObject obj);
}
