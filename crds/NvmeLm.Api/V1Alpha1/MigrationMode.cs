using System.Text.Json.Serialization;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Whether a migration acts or only plans.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationMode>))]
public enum MigrationMode
{
    /// <summary>Perform the migration.</summary>
    Apply,

    /// <summary>Publish status.plan and change nothing.</summary>
    Plan,
}
