namespace NvmeLm.ApiServer.Audit;

/// <summary>One served request: who, what (in Kubernetes terms), the answer's status code, when and how long.</summary>
public sealed record AuditRecord(
    DateTimeOffset Time,
    string Identity,
    string Verb,
    string Group,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int StatusCode,
    TimeSpan Duration,
    string Path)
{
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}
