using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Api;

public sealed partial class ResourceService
{
    /// <summary>
    /// Validating admission of client writes (null: none). It runs where kube-apiserver runs it: after the
    /// object is computed and has passed validation, before it is stored — dry runs and no-op updates included.
    /// Writes of the server's own controllers (no <see cref="RequestUser"/>) are not admitted.
    /// </summary>
    public IAdmissionValidator? Admission { get; init; }

    /// <summary><paramref name="warnings"/> plus those admission adds; a denial throws.</summary>
    private IReadOnlyList<string> Admit(AdmissionOperation operation, ResourceType type, string? subresource, string namespaceName, string name,
        JsonObject? obj, JsonObject? old, bool dryRun, IReadOnlyList<string> warnings)
    {
        if (Admission is null || RequestUser.Current is not { } user)
        {
            return warnings;
        }
        var added = Admission.Validate(new AdmissionAttributes(operation, type, subresource ?? "", type.Namespaced ? namespaceName : "", name, obj, old, dryRun, user));
        return added.Count == 0 ? warnings : [.. warnings, .. added];
    }
}
