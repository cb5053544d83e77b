using System.Text.Json.Nodes;

namespace NvmeLm.DevCluster.Api;

/// <summary>What a write answers: the body (object or Status) and the HTTP status code.</summary>
public sealed record WriteOutcome(JsonObject Body, int StatusCode);
