using System.Text.Json.Serialization;
using NvmeLm.Api.Schema;

namespace NvmeLm.Api.V1Alpha1;

/// <summary>Who a secondary controller (VF) belongs to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SecondaryRole>))]
public enum SecondaryRole
{
    /// <summary>Migratable and free for pods through the device plugin.</summary>
    Pool,

    /// <summary>Allow-migrate: locked to one NvmeMigration as its source.</summary>
    MigrationSource,

    /// <summary>Allow-resume: reserved for one NvmeMigration as its destination.</summary>
    ResumeTarget,
}
