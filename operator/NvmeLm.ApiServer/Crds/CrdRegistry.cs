using System.Text.Json.Nodes;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Crds;

/// <summary>
/// Turns established CustomResourceDefinitions into served <see cref="ResourceType"/>s: one per served
/// version, sharing one stored collection, with the version's schema (validated through the
/// <see cref="IObjectValidator"/> factory), status subresource, printer columns and selectable fields.
/// </summary>
public sealed class CrdRegistry
{
    private readonly ResourceRegistry _resources;
    private readonly ObjectStore _store;
    private readonly Func<JsonObject, IObjectValidator?> _validatorFactory;

    public CrdRegistry(ResourceRegistry resources, ObjectStore store, Func<JsonObject, IObjectValidator?> validatorFactory)
    {
        _resources = resources;
        _store = store;
        _validatorFactory = validatorFactory;
    }

    /// <summary>Builds the validator for a schema (throws for a schema that cannot be compiled).</summary>
    public IObjectValidator? CompileValidator(JsonObject schema) => _validatorFactory(schema);

    public bool PluralTakenByOther(string group, string plural, string crdName) => _resources.PluralTaken(group, plural, crdName);

    /// <summary>Serves (or re-serves, after an update) the resource a stored CRD defines.</summary>
    public void Serve(JsonObject crd)
    {
        string name = crd["metadata"]!["name"]!.GetValue<string>();
        bool established = (crd["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") == true;
        bool alreadyServed = _resources.Owned(name).Count > 0;
        if (!established && !alreadyServed)
        {
            return;
        }
        _resources.Set(name, BuildTypes(crd));
    }

    /// <summary>Stops serving a deleted CRD's resource and forgets its (already emptied) collection.</summary>
    public void Remove(JsonObject crd)
    {
        string name = crd["metadata"]!["name"]!.GetValue<string>();
        var owned = _resources.Owned(name);
        _resources.Set(name, []);
        foreach (var storage in owned.Select(t => t.Storage).Distinct())
        {
            _store.DropCollection(storage);
        }
    }

    private List<ResourceType> BuildTypes(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        string group = spec["group"]!.GetValue<string>();
        var names = (JsonObject)spec["names"]!;
        string plural = names["plural"]!.GetValue<string>();
        string kind = names["kind"]!.GetValue<string>();
        string singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant();
        var types = new List<ResourceType>();
        foreach (var version in (spec["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }
            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject;
            types.Add(new ResourceType
            {
                Group = group,
                Version = version["name"]!.GetValue<string>(),
                Plural = plural,
                Singular = singular,
                Kind = kind,
                Namespaced = spec["scope"]?.GetValue<string>() != "Cluster",
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatusSubresource = version["subresources"]?["status"] is not null,
                IsCustomResource = true,
                ReturnsDeletedObject = true,
                SelectableFields = (version["selectableFields"] as JsonArray)?.OfType<JsonObject>()
                    .Select(f => f["jsonPath"]?.GetValue<string>()?.TrimStart('.') ?? "").ToHashSet() ?? [],
                Table = new PrinterColumnTableConvertor(version["additionalPrinterColumns"] as JsonArray),
                OpenApiSchema = (JsonObject?)schema?.DeepClone(),
                MergeType = ResourceMergeTypes.Root(schema is null ? null : MergeTypeBuilder.Inline.Build((JsonObject)schema.DeepClone())),
                Validator = schema is null ? null : CompileValidator(schema),
                Storage = new StorageKey(group, plural),
            });
        }
        return types;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList() ?? [];
}
