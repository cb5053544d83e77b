using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>What checking a migration against live inventory decided.</summary>
internal abstract record ValidationOutcome
{
    private ValidationOutcome()
    {
    }

    /// <summary>Cannot decide yet (an agent has not published its inventory); look again later.</summary>
    public sealed record Wait(string Reason, string Message) : ValidationOutcome;

    /// <summary>The request cannot be carried out as written: fail with this reason, touch nothing.</summary>
    public sealed record Invalid(string Reason, string Message) : ValidationOutcome;

    /// <summary>Both ends resolved; <paramref name="DestinationDriver"/> is the VFIO driver the destination VF gets.</summary>
    public sealed record Valid(ResolvedEndpoint Source, ResolvedEndpoint Destination, string SourceDriver, string DestinationDriver)
        : ValidationOutcome;
}
