using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Keeps <c>metadata.managedFields</c> as kube-apiserver's field manager does (structured-merge-diff
/// <c>merge/update.go</c> Updater.Update and Updater.Apply, apimachinery <c>managedfields/internal</c>):
/// every write records what its manager changed; an apply owns exactly the fields it applied, removes what
/// it stopped applying and nobody else owns, and refuses (409) to change fields other managers own unless
/// forced, in which case it takes them over.
/// </summary>
public sealed class FieldManager(Func<string> now)
{
    /// <summary>
    /// Fields no manager owns (apimachinery <c>managedfields/internal/stripmeta.go</c>): apiVersion, kind,
    /// the metadata node itself and the server-set metadata fields.
    /// </summary>
    private static readonly string[] s_strippedMetadata =
        ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"];

    /// <summary>
    /// Records a create, update or non-apply patch of <paramref name="current"/> (null on create) into <paramref name="next"/>:
    /// the manager's Update entry gains what changed, every entry loses what changed or was removed. The stored
    /// FieldsV1 trees are edited along the changed paths only (<see cref="FieldsV1Editor"/>).
    /// </summary>
    public void RecordUpdate(JsonObject? current, JsonObject next, MergeType type, WriteManager who)
    {
        var entries = BaseEntries(current, next);
        var comparison = ObjectComparer.Compare(current, next, type);
        Strip(comparison.Changed);
        Strip(comparison.Removed);
        if (!comparison.IsEmpty)
        {
            var lost = comparison.Changed.Clone();
            lost.UnionWith(comparison.Removed);
            JsonObject? self = null;
            foreach (var entry in entries.OfType<JsonObject>().ToList())
            {
                if (IsUpdateEntryOf(entry, who))
                {
                    self = entry;
                }
                if (entry["fieldsV1"] is JsonObject fields && FieldsV1Editor.Remove(fields, lost) && entry != self)
                {
                    entries.Remove(entry);
                }
            }
            if (self is null)
            {
                self = ManagedFieldsCodec.EntryJson(who.Name, ManagedFieldsEntry.Update, who.ApiVersion, null, who.Subresource, new JsonObject());
                entries.Add(self);
            }
            FieldsV1Editor.Add((JsonObject)(self["fieldsV1"] ??= new JsonObject()), comparison.Changed);
            if (((JsonObject)self["fieldsV1"]!).Count == 0)
            {
                entries.Remove(self);
            }
            else
            {
                self["time"] = now();
            }
            entries = ManagedFieldsCodec.Sorted(entries);
        }
        SetManagedFields(next, entries);
    }

    /// <summary>
    /// Applies <paramref name="config"/> to <paramref name="live"/> (null when the apply creates the object)
    /// and returns the merged object with its managedFields.
    /// </summary>
    public JsonObject Apply(JsonObject? live, JsonObject config, MergeType type, WriteManager who, bool force)
    {
        var managers = ManagedFieldsCodec.Decode(live?["metadata"]?["managedFields"]);
        var applied = FieldSetBuilder.Build(config, type);
        Strip(applied);
        var identity = new ManagedFieldsEntry(who.Name, ManagedFieldsEntry.Apply, who.ApiVersion, null, who.Subresource, new FieldSet()).Identity;
        var previous = managers.FirstOrDefault(e => e.Identity == identity);
        managers.Remove(previous!);

        var merged = live is null ? (JsonObject)config.DeepClone() : ApplyMerger.Merge(live, config, type);
        if (previous is not null)
        {
            var dropped = previous.Fields.Clone();
            dropped.ExceptWith(applied);
            var owned = applied.Clone();
            managers.ForEach(m => owned.UnionWith(m.Fields));
            ApplyPruner.Prune(merged, dropped, owned, type);
        }

        var comparison = ObjectComparer.Compare(live, merged, type);
        Strip(comparison.Changed);
        Strip(comparison.Removed);
        var conflicts = managers.Select(m => (Owner: m, Fields: m.Fields.Intersect(comparison.Changed))).Where(c => !c.Fields.IsEmpty).ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw ApplyConflicts.Error(conflicts);
        }
        foreach (var other in managers)
        {
            other.Fields.ExceptWith(comparison.Changed);
            other.Fields.ExceptWith(comparison.Removed);
        }
        string? time = comparison.IsEmpty && previous is not null ? previous.Time : now();
        managers.Add(new ManagedFieldsEntry(who.Name, ManagedFieldsEntry.Apply, who.ApiVersion, time, who.Subresource, applied));
        SetManagedFields(merged, managers);
        return merged;
    }

    /// <summary>
    /// The entries before this write (apimachinery decodeLiveOrNew), as a detached copy to edit: the client's
    /// managedFields when it sent different, non-empty ones (<c>[{}]</c> clears them), otherwise the live object's.
    /// </summary>
    private static JsonArray BaseEntries(JsonObject? current, JsonObject next)
    {
        var sent = next["metadata"]?["managedFields"];
        if (ManagedFieldsCodec.IsReset(sent))
        {
            return [];
        }
        var live = current?["metadata"]?["managedFields"];
        var chosen = sent is JsonArray { Count: > 0 } && !JsonNode.DeepEquals(sent, live) ? sent : live;
        return chosen is JsonArray array ? (JsonArray)array.DeepClone() : [];
    }

    private static bool IsUpdateEntryOf(JsonObject entry, WriteManager who) =>
        entry["operation"]?.GetValue<string>() == ManagedFieldsEntry.Update
        && entry["manager"]?.GetValue<string>() == who.Name
        && entry["apiVersion"]?.GetValue<string>() == who.ApiVersion
        && (entry["subresource"]?.GetValue<string>() ?? "") == (who.Subresource ?? "");

    private static void SetManagedFields(JsonObject obj, List<ManagedFieldsEntry> managers) => SetManagedFields(obj, ManagedFieldsCodec.Encode(managers));

    private static void SetManagedFields(JsonObject obj, JsonArray encoded)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            return;
        }
        if (encoded.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = encoded;
        }
    }

    private static void Strip(FieldSet set) => set.ExceptWith(s_stripped);

    private static readonly FieldSet s_stripped = StrippedFields();

    private static FieldSet StrippedFields()
    {
        var stripped = new FieldSet();
        stripped.Descend(PathElements.Field("apiVersion")).MarkMember();
        stripped.Descend(PathElements.Field("kind")).MarkMember();
        var metadata = stripped.Descend(PathElements.Field("metadata"));
        metadata.MarkMember();
        foreach (string field in s_strippedMetadata)
        {
            metadata.Descend(PathElements.Field(field)).MarkMember();
        }
        return stripped;
    }
}
