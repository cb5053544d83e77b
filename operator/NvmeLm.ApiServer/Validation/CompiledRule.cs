using Cel;

namespace NvmeLm.ApiServer.Validation;

/// <summary>An <c>x-kubernetes-validations</c> rule with its CEL program compiled once.</summary>
internal sealed class CompiledRule
{
    public required string Rule { get; init; }
    public required CelProgramDelegate Program { get; init; }

    /// <summary>The rule mentions <c>oldSelf</c>: it runs on update only, when an old value correlates.</summary>
    public required bool IsTransition { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public string? FieldPath { get; init; }

    /// <summary>What the API server answers when the rule is false (kube's default when no message is set).</summary>
    public string FailureMessage => string.IsNullOrEmpty(Message) ? $"failed rule: {Rule}" : Message;
}
