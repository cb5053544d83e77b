using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// One write as validating admission sees it (kube's admission.Attributes): the operation, the served type, the
/// subresource (<c>status</c> for a status write), namespace and name, the object after the write (null for a
/// delete) and before it (null for a create), dry-run, and who asked.
/// </summary>
public sealed record AdmissionAttributes(
    AdmissionOperation Operation,
    ResourceType Type,
    string Subresource,
    string Namespace,
    string Name,
    JsonObject? Object,
    JsonObject? OldObject,
    bool DryRun,
    UserInfo User)
{
    /// <summary>As kube spells the operation in rules and in <c>request.operation</c>.</summary>
    public string OperationName => Operation switch
    {
        AdmissionOperation.Create => "CREATE",
        AdmissionOperation.Update => "UPDATE",
        _ => "DELETE",
    };
}
