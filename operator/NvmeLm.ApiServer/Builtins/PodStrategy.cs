using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>New pods start Pending (nothing here runs them; a test or a simulated kubelet writes their status).</summary>
public sealed class PodStrategy : DefaultStrategy
{
    public override void PrepareForCreate(JsonObject obj)
    {
        var status = obj["status"] as JsonObject;
        if (status is null)
        {
            status = new JsonObject();
            obj["status"] = status;
        }
        status["phase"] ??= "Pending";
    }
}
