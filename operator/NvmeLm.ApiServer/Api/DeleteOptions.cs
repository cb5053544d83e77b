using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Api;

/// <summary>The parts of <c>meta/v1 DeleteOptions</c> this server honours.</summary>
public sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public static DeleteOptions Default { get; } = new(null, null, null, false);

    public static DeleteOptions From(JsonObject? body, string? queryPropagationPolicy, bool dryRun)
    {
        string? policy = body?["propagationPolicy"]?.GetValue<string>() ?? queryPropagationPolicy;
        if (body?["orphanDependents"]?.GetValue<bool>() is bool orphan)
        {
            policy ??= orphan ? "Orphan" : "Background";
        }
        bool bodyDryRun = body?["dryRun"] is JsonArray array && array.Count > 0;
        return new DeleteOptions(
            policy,
            body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            dryRun || bodyDryRun);
    }
}
