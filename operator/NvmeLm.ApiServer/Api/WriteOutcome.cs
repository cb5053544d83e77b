using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Api;

/// <summary>What a write answers: the body (object or Status) and the HTTP status code.</summary>
public sealed record WriteOutcome(JsonObject Body, int StatusCode)
{
    /// <summary>Warnings for the client (the <c>Warning</c> header), e.g. unknown fields under fieldValidation=Warn.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
