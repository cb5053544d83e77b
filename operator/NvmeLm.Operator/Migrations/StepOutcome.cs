using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>What one pass of the migration state machine decided.</summary>
internal abstract record StepOutcome
{
    private StepOutcome()
    {
    }

    public static StepOutcome Done { get; } = new Finished();

    /// <summary>Continue with the stored object after a transition; nothing more to do when it is gone.</summary>
    public static StepOutcome From(V1Alpha1NvmeMigration? stored) => stored is null ? Done : new Continue(stored);

    /// <summary>The phase moved (persisted); run the next phase's handler with the stored object.</summary>
    public sealed record Continue(V1Alpha1NvmeMigration Next) : StepOutcome;

    /// <summary>Waiting on an agent (or a deadline); node events also wake the migration up earlier.</summary>
    public sealed record Wait(TimeSpan After) : StepOutcome;

    /// <summary>Nothing more to do until the object changes.</summary>
    public sealed record Finished : StepOutcome;
}
