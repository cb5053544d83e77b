using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What the agent knows about one requested operation, kept on the host (<see cref="OperationJournal"/>) so a
/// restarted agent neither re-runs a finished operation nor loses its result when the status write was lost.
/// <see cref="OperationState.Running"/> on disk means "started, outcome unknown": the next agent re-runs it, which
/// is safe because every step re-reads the hardware first (a suspended controller is not suspended again, a state
/// already restored with the same digest is not written again).
/// </summary>
public sealed record OperationRecord
{
    public required string Id { get; init; }

    public required NodeOperationType Type { get; init; }

    public required string VfAddress { get; init; }

    public required string OwnerUid { get; init; }

    public required OperationState State { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }

    public long? StateSizeBytes { get; init; }

    public string? StateSha256 { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    /// <summary>When this agent first had what the operation needs (trace of the critical section; its clock).</summary>
    public DateTime? SeenAt { get; init; }

    public bool IsTerminal => State is OperationState.Succeeded or OperationState.Failed;

    public NodeOperationResult ToResult() => new()
    {
        Id = Id,
        Type = Type,
        State = State,
        Reason = Reason,
        Message = Message is { Length: > MaxMessageLength } ? Message[..(MaxMessageLength - 1)] + "…" : Message,
        StateSizeBytes = StateSizeBytes,
        StateSha256 = StateSha256,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        SeenAt = SeenAt,
    };

    /// <summary>The CRD's bound on <c>operationResults[].message</c>.</summary>
    public const int MaxMessageLength = 4096;
}
