using k8s.Models;

namespace NvmeLm.CrdGen;

/// <summary>
/// The schema of <c>metav1.Condition</c> (k8s.io/apimachinery/pkg/apis/meta/v1 types.go), which
/// <see cref="V1Condition"/> models; written by hand because the type is not ours to annotate.
/// </summary>
public static class ConditionSchema
{
    public static V1JSONSchemaProps Create() => new()
    {
        Type = "object",
        Description = "Condition contains details for one aspect of the current state of this API Resource.",
        Required = ["type", "status", "lastTransitionTime", "reason", "message"],
        Properties = new Dictionary<string, V1JSONSchemaProps>
        {
            ["type"] = new()
            {
                Type = "string",
                MaxLength = 316,
                Pattern = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "Type of condition in CamelCase, e.g. Ready.",
            },
            ["status"] = new()
            {
                Type = "string",
                EnumProperty = ["True", "False", "Unknown"],
                Description = "Status of the condition, one of True, False, Unknown.",
            },
            ["observedGeneration"] = new()
            {
                Type = "integer",
                Format = "int64",
                Minimum = 0,
                Description = "The .metadata.generation the condition was set from.",
            },
            ["lastTransitionTime"] = new()
            {
                Type = "string",
                Format = "date-time",
                Description = "Last time the condition changed from one status to another.",
            },
            ["reason"] = new()
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "Programmatic identifier (CamelCase) for the condition's last transition.",
            },
            ["message"] = new()
            {
                Type = "string",
                MaxLength = 32768,
                Description = "Human-readable message about the transition; may be empty.",
            },
        },
    };
}
