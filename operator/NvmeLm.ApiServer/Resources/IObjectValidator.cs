using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Resources;

/// <summary>Validates an object of one type; may default and prune it in place, as kube-apiserver does for custom resources.</summary>
public interface IObjectValidator
{
    IReadOnlyList<InvalidCause> ValidateCreate(JsonObject obj);

    IReadOnlyList<InvalidCause> ValidateUpdate(JsonObject obj, JsonObject oldObj);
}
