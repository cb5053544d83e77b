using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Http;

/// <summary>The parts of <c>meta/v1 ObjectMeta</c>'s schema that <c>kubectl explain &lt;kind&gt;.metadata</c> shows.</summary>
public static class ObjectMetaSchema
{
    public static JsonObject Create()
    {
        var properties = new JsonObject
        {
            ["name"] = Field("string", "Name must be unique within a namespace. Cannot be updated."),
            ["generateName"] = Field("string", "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
            ["namespace"] = Field("string", "Namespace defines the space within which each name must be unique."),
            ["uid"] = Field("string", "UID is the unique in time and space value for this object. Populated by the system. Read-only."),
            ["resourceVersion"] = Field("string", "An opaque value that represents the internal version of this object, used for optimistic concurrency. Populated by the system. Read-only."),
            ["generation"] = Field("integer", "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only."),
            ["creationTimestamp"] = Field("string", "CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only."),
            ["deletionTimestamp"] = Field("string", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Set by the server when a graceful deletion is requested. Read-only."),
            ["labels"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                ["description"] = "Map of string keys and values that can be used to organize and categorize (scope and select) objects.",
            },
            ["annotations"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                ["description"] = "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.",
            },
            ["finalizers"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                ["description"] = "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.",
                ["x-kubernetes-list-type"] = "set",
            },
            ["ownerReferences"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                ["description"] = "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.",
            },
        };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["properties"] = properties,
        };
    }

    private static JsonObject Field(string type, string description) => new()
    {
        ["type"] = type,
        ["description"] = description,
    };
}
