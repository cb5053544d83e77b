using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.ApiServer.Resources;
using static NvmeLm.ApiServer.Builtins.BuiltinColumns;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (with its status subresource) and
/// ValidatingAdmissionPolicyBinding: stored and served (evaluating them is admission's job).
/// </summary>
internal static class AdmissionRegistrationResources
{
    private const string Group = "admissionregistration.k8s.io";

    public static IEnumerable<ResourceType> Create()
    {
        yield return new ResourceType
        {
            Group = Group, Version = "v1", Plural = "validatingadmissionpolicies", Singular = "validatingadmissionpolicy",
            Kind = "ValidatingAdmissionPolicy", Model = typeof(V1ValidatingAdmissionPolicy), Namespaced = false, HasStatusSubresource = true,
            Storage = new StorageKey(Group, "validatingadmissionpolicies"),
            Table = new Tables.DelegateTableConvertor(
                Integer("Validations", "Validations contain CEL expressions which is used to apply the validation.", o => (o["spec"]?["validations"] as JsonArray)?.Count ?? 0),
                Column("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy", o => ParamKind(o["spec"]?["paramKind"])),
                Age),
        };
        yield return new ResourceType
        {
            Group = Group, Version = "v1", Plural = "validatingadmissionpolicybindings", Singular = "validatingadmissionpolicybinding",
            Kind = "ValidatingAdmissionPolicyBinding", Model = typeof(V1ValidatingAdmissionPolicyBinding), Namespaced = false,
            Storage = new StorageKey(Group, "validatingadmissionpolicybindings"),
            Table = new Tables.DelegateTableConvertor(
                Column("PolicyName", "PolicyName references a ValidatingAdmissionPolicy name which the ValidatingAdmissionPolicyBinding binds to.", o => Text(o["spec"]?["policyName"])),
                Column("ParamRef", "paramRef specifies the parameter resource used to configure the admission control policy.", o => ParamRef(o["spec"]?["paramRef"])),
                Age),
        };
    }

    /// <summary>printers.go: <c>apiVersion/kind</c> of the param, or <c>&lt;unset&gt;</c>.</summary>
    private static string ParamKind(JsonNode? paramKind) =>
        paramKind is null ? "<unset>" : $"{Text(paramKind["apiVersion"])}/{Text(paramKind["kind"])}";

    /// <summary>printers.go: <c>namespace/name</c> (<c>*</c> for either when unset), or <c>&lt;unset&gt;</c>.</summary>
    private static string ParamRef(JsonNode? paramRef)
    {
        if (paramRef is null)
        {
            return "<unset>";
        }
        string ns = paramRef["namespace"] is JsonNode n ? Text(n) : "*";
        string name = paramRef["name"] is JsonNode m ? Text(m) : "*";
        return $"{ns}/{name}";
    }
}
