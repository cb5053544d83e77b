using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// The error a denying policy answers with, as kube builds it (policy/validating/dispatcher.go with
/// admission.NewForbidden): <c>&lt;resource&gt;.&lt;group&gt; "&lt;name&gt;" is forbidden: ValidatingAdmissionPolicy
/// '&lt;policy&gt;' with binding '&lt;binding&gt;' denied request: &lt;message&gt;</c>, the validation's reason
/// (Invalid by default) with its HTTP code (422; Forbidden 403, Unauthorized 401, RequestEntityTooLarge 413),
/// and the message repeated as the one cause.
/// </summary>
public static class PolicyDenial
{
    public static ApiException For(AdmissionAttributes request, string policy, string? binding, PolicyDecision decision)
    {
        string message = binding is null
            ? $"ValidatingAdmissionPolicy '{policy}' denied request: {decision.Message}"
            : $"ValidatingAdmissionPolicy '{policy}' with binding '{binding}' denied request: {decision.Message}";
        string name = request.Name.Length > 0 ? request.Name : "Unknown";
        var details = new JsonObject { ["name"] = name };
        if (request.Type.Group.Length > 0)
        {
            details["group"] = request.Type.Group;
        }
        details["kind"] = request.Type.Plural;
        details["causes"] = new JsonArray(new JsonObject { ["message"] = message });
        int code = decision.Reason switch
        {
            "Forbidden" => 403,
            "Unauthorized" => 401,
            "RequestEntityTooLarge" => 413,
            _ => 422,
        };
        return new ApiException(code, decision.Reason, $"{request.Type.QualifiedResource} \"{name}\" is forbidden: {message}", details);
    }
}
