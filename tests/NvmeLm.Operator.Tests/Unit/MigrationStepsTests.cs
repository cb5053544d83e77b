using NvmeLm.Api.V1Alpha1;
using NvmeLm.Operator.Migrations;

namespace NvmeLm.Operator.Tests.Unit;

/// <summary>The timeline's clocks: a step's start and finish come from one clock, and no step ends before it starts.</summary>
public sealed class MigrationStepsTests
{
    private static readonly DateTime s_operatorNow = new(2026, 12, 4, 9, 35, 0, 500, DateTimeKind.Utc);

    [Fact]
    public void FinishFromAgent_Should_TakeBothTimesFromTheAgent_When_TheOperatorStartedTheStep()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        // The operator requested it at .500 by its clock; the agent's clock says it ran from .100 to .130.
        MigrationSteps.Start(status, StepNames.Suspend, "n1", s_operatorNow);
        var agentStart = s_operatorNow.AddMilliseconds(-400);
        var result = new NodeOperationResult
        {
            Id = "x-suspend", Type = NodeOperationType.Suspend, State = OperationState.Succeeded,
            StartedAt = agentStart, FinishedAt = agentStart.AddMilliseconds(30),
        };

        MigrationSteps.FinishFromAgent(status, StepNames.Suspend, "n1", result, s_operatorNow.AddMilliseconds(50));

        var step = Assert.Single(status.Steps!);
        Assert.Equal((StepResult.Succeeded, agentStart, agentStart.AddMilliseconds(30)), (step.Result, step.StartedAt, step.FinishedAt));
    }

    [Fact]
    public void Finish_Should_NeverEndBeforeTheStart_When_TheFinishingClockIsBehind()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        MigrationSteps.Start(status, StepNames.ReserveDestination, "n2", s_operatorNow);

        // A new operator replica, its clock 2 s behind, finishes the step.
        MigrationSteps.Finish(status, StepNames.ReserveDestination, "n2", StepResult.Succeeded, s_operatorNow.AddSeconds(-2));

        var step = Assert.Single(status.Steps!);
        Assert.Equal(step.StartedAt, step.FinishedAt);
    }

    [Fact]
    public void FailRunning_Should_NeverEndBeforeTheStart()
    {
        var status = new V1Alpha1NvmeMigration.EntityStatus();
        MigrationSteps.Start(status, StepNames.SaveState, "n1", s_operatorNow);

        MigrationSteps.FailRunning(status, "Timeout", s_operatorNow.AddMilliseconds(-1));

        var step = Assert.Single(status.Steps!);
        Assert.Equal((StepResult.Failed, s_operatorNow), (step.Result, step.FinishedAt));
    }
}
