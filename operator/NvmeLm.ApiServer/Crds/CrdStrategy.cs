using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Crds;

/// <summary>
/// CustomResourceDefinition behaviour: validates the definition, sets NamesAccepted/Established and
/// storedVersions at once (kube-apiserver's controllers do it moments later), and serves or stops serving
/// the custom resource when the change is committed.
/// </summary>
public sealed class CrdStrategy : DefaultStrategy
{
    /// <summary>kube-apiserver's finalizer that removes a CRD's instances before the CRD goes away.</summary>
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private readonly CrdRegistry _registry;

    public CrdStrategy(CrdRegistry registry) => _registry = registry;

    public override void PrepareForCreate(JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        if (metadata["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            metadata["finalizers"] = finalizers;
        }
        if (!finalizers.Any(f => f?.GetValue<string>() == CleanupFinalizer))
        {
            finalizers.Add(CleanupFinalizer);
        }
        SetStatus(obj, null);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => SetStatus(obj, old);

    public override IReadOnlyList<InvalidCause> Validate(JsonObject obj, JsonObject? old)
    {
        var causes = CrdDefinition.Validate(obj, old).ToList();
        var versions = (obj["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        for (int i = 0; i < versions.Count; i++)
        {
            if (versions[i]["schema"]?["openAPIV3Schema"] is not JsonObject schema)
            {
                continue;
            }
            try
            {
                _registry.CompileValidator(schema);
            }
            catch (ArgumentException e)
            {
                causes.Add(new InvalidCause("FieldValueInvalid", $"spec.versions[{i}].schema.openAPIV3Schema", $"Invalid value: {e.Message}"));
            }
            catch (System.Text.Json.JsonException e)
            {
                causes.Add(new InvalidCause("FieldValueInvalid", $"spec.versions[{i}].schema.openAPIV3Schema", $"Invalid value: {e.Message}"));
            }
        }
        return causes;
    }

    public override void Committed(StoreEventType change, JsonObject obj)
    {
        if (change == StoreEventType.Deleted)
        {
            _registry.Remove(obj);
        }
        else
        {
            _registry.Serve(obj);
        }
    }

    private void SetStatus(JsonObject crd, JsonObject? old)
    {
        var spec = crd["spec"] as JsonObject;
        string name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        string group = spec?["group"]?.GetValue<string>() ?? "";
        var names = spec?["names"] as JsonObject ?? [];
        string plural = names["plural"]?.GetValue<string>() ?? "";
        bool accepted = !_registry.PluralTakenByOther(group, plural, name);
        string now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var acceptedNames = (JsonObject)names.DeepClone();
        acceptedNames["singular"] ??= names["kind"]?.GetValue<string>()?.ToLowerInvariant();
        acceptedNames["listKind"] ??= names["kind"]?.GetValue<string>() + "List";

        var stored = new HashSet<string>((old?["status"]?["storedVersions"] as JsonArray)?.Select(v => v!.GetValue<string>()) ?? []);
        foreach (var version in (spec?["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (version["storage"]?.GetValue<bool>() == true)
            {
                stored.Add(version["name"]!.GetValue<string>());
            }
        }
        bool terminating = crd["metadata"]?["deletionTimestamp"] is not null;
        var conditions = new JsonArray
        {
            Condition("NamesAccepted", accepted, accepted ? "NoConflicts" : "AlreadyInUse",
                accepted ? "no conflicts found" : $"\"{plural}\" is already in use", now, old),
            Condition("Established", accepted && !terminating, accepted ? "InitialNamesAccepted" : "NotAccepted",
                accepted ? "the initial names have been accepted" : "not all names are accepted", now, old),
        };
        if (terminating)
        {
            conditions.Add(Condition("Terminating", true, "InstanceDeletionInProgress", "CustomResource deletion is in progress", now, old));
        }
        crd["status"] = new JsonObject
        {
            ["conditions"] = conditions,
            ["acceptedNames"] = accepted ? acceptedNames : new JsonObject { ["plural"] = "", ["kind"] = "" },
            ["storedVersions"] = new JsonArray(stored.Order(StringComparer.Ordinal).Select(v => (JsonNode?)v).ToArray()),
        };
    }

    /// <summary>A condition whose lastTransitionTime only moves when its status does.</summary>
    private static JsonObject Condition(string type, bool status, string reason, string message, string now, JsonObject? old)
    {
        string value = status ? "True" : "False";
        var previous = (old?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        string since = previous?["status"]?.GetValue<string>() == value ? previous["lastTransitionTime"]?.GetValue<string>() ?? now : now;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastTransitionTime"] = since,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
