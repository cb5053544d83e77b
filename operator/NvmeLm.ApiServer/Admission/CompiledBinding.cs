using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// A ValidatingAdmissionPolicyBinding: which policy, where (matchResources, narrowing the policy's constraints;
/// absent: everywhere the policy matches) and what a failed validation does (validationActions: Deny, Warn, Audit).
/// </summary>
public sealed class CompiledBinding
{
    public required string Name { get; init; }

    public required string PolicyName { get; init; }

    public MatchResources? MatchResources { get; init; }

    public required IReadOnlyList<string> ValidationActions { get; init; }

    /// <summary>Why the binding cannot be used as written (an unreadable selector), or null.</summary>
    public string? ConfigurationError { get; init; }

    public static CompiledBinding Read(JsonObject binding)
    {
        var spec = binding["spec"] as JsonObject ?? new JsonObject();
        MatchResources? match = null;
        string? error = null;
        try
        {
            match = spec["matchResources"] is JsonObject resources ? MatchResources.From(resources) : null;
        }
        catch (ApiException e)
        {
            error = e.Message;
        }
        return new CompiledBinding
        {
            Name = binding["metadata"]?["name"]?.GetValue<string>() ?? "",
            PolicyName = spec["policyName"]?.GetValue<string>() ?? "",
            MatchResources = match,
            ValidationActions = (spec["validationActions"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [],
            ConfigurationError = error,
        };
    }
}
