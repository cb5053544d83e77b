using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>New namespaces are Active; the namespace cleaner marks and empties Terminating ones.</summary>
public sealed class NamespaceStrategy : DefaultStrategy
{
    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
    }
}
