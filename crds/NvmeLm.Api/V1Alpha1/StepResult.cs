using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Outcome of one step of a migration.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepResult>))]
public enum StepResult
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Nothing to do: hardware already was in the wanted state.</summary>
    Skipped,

    /// <summary>The step's effect was undone during rollback.</summary>
    RolledBack,
}
