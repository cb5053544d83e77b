using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Api;

/// <summary>One page of a list, in the served shape.</summary>
public sealed record ListResult(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);
