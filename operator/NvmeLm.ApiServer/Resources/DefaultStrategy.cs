using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Resources;

/// <summary>No type-specific behaviour.</summary>
public class DefaultStrategy : IResourceStrategy
{
    public static DefaultStrategy Instance { get; } = new();

    public virtual void PrepareForCreate(JsonObject obj)
    {
    }

    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
    }

    public virtual IReadOnlyList<InvalidCause> Validate(JsonObject obj, JsonObject? old) => [];

    public virtual void Committed(StoreEventType change, JsonObject obj)
    {
    }
}
