namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>One <c>metadata.managedFields</c> entry: who owns which fields, through which operation.</summary>
public sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string? Time, string? Subresource, FieldSet Fields)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    /// <summary>
    /// kube's manager identity (apimachinery <c>managedfields/internal BuildManagerIdentifier</c>): manager,
    /// operation and subresource, plus the apiVersion for updaters only (an applier is one manager whatever
    /// version it applies with). Entries with the same identity are one entry.
    /// </summary>
    public (string, string, string, string) Identity => (Manager, Operation, Operation == Apply ? "" : ApiVersion, Subresource ?? "");

    /// <summary>The manager as conflict messages name it (<c>printManager</c>): <c>"helm" using apps/v1</c> for updaters.</summary>
    public string Describe()
    {
        string name = System.Text.Json.JsonSerializer.Serialize(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            name += $" with subresource {System.Text.Json.JsonSerializer.Serialize(Subresource)}";
        }
        return Operation == Update ? $"{name} using {ApiVersion}" : name;
    }
}
