using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Compares two versions of an object field by field (structured-merge-diff <c>typed/compare.go</c>):
/// a leaf present on one side only is added or removed, a leaf on both sides with different values is
/// modified; maps and keyed/set list items are compared element by element, atomic values whole. A map or
/// list item present on one side only is itself a member of the result (so ownership covers the item),
/// as kube's managedFields show (<c>".": {}</c>). Equal subtrees are skipped after one equality walk.
/// </summary>
public static class ObjectComparer
{
    public static ObjectComparison Compare(JsonObject? before, JsonObject after, MergeType type)
    {
        var changed = new FieldSet();
        var removed = new FieldSet();
        CompareMaps(before ?? [], after, type, changed, removed);
        return new ObjectComparison(changed, removed);
    }

    private static void CompareValues(JsonNode? before, JsonNode? after, MergeType type, FieldSet changed, FieldSet removed)
    {
        switch (type.Kind)
        {
            case MergeKind.Map when before is JsonObject b && after is JsonObject a && (b.Count > 0 || a.Count > 0):
                CompareMaps(b, a, type, changed, removed);
                return;
            case MergeKind.Set or MergeKind.AssociativeList when before is JsonArray b && after is JsonArray a && (b.Count > 0 || a.Count > 0):
                CompareLists(b, a, type, changed, removed);
                return;
            default:
                changed.MarkMember();
                return;
        }
    }

    private static void CompareMaps(JsonObject before, JsonObject after, MergeType type, FieldSet changed, FieldSet removed)
    {
        foreach (var (key, value) in after)
        {
            string element = PathElements.Field(key);
            var fieldType = type.FieldType(key);
            if (before.TryGetPropertyValue(key, out var old))
            {
                if (!JsonNode.DeepEquals(old, value))
                {
                    CompareValues(old, value, fieldType, changed.Descend(element), removed.Descend(element));
                }
            }
            else
            {
                AddWhole(changed.Descend(element), value, fieldType);
            }
        }
        foreach (var (key, value) in before)
        {
            if (!after.ContainsKey(key))
            {
                AddWhole(removed.Descend(PathElements.Field(key)), value, type.FieldType(key));
            }
        }
    }

    private static void CompareLists(JsonArray before, JsonArray after, MergeType type, FieldSet changed, FieldSet removed)
    {
        var old = ListItems.Index(before, type, rejectDuplicates: false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            string element = ListItems.Element(item, type);
            if (!seen.Add(element))
            {
                continue;
            }
            if (old.TryGetValue(element, out var previous))
            {
                if (type.Kind == MergeKind.AssociativeList && !JsonNode.DeepEquals(previous, item))
                {
                    CompareValues(previous, item, type.ElementType, changed.Descend(element), removed.Descend(element));
                }
            }
            else
            {
                AddWhole(changed.Descend(element), item, ItemType(type));
            }
        }
        foreach (var (element, item) in old)
        {
            if (!seen.Contains(element))
            {
                AddWhole(removed.Descend(element), item, ItemType(type));
            }
        }
    }

    /// <summary>Set items are scalars (the element is the value); map-list items carry fields.</summary>
    private static MergeType ItemType(MergeType list) => list.Kind == MergeKind.AssociativeList ? list.ElementType : MergeType.AtomicValue;

    /// <summary>A value present on one side only: the node and every field below it.</summary>
    private static void AddWhole(FieldSet node, JsonNode? value, MergeType type)
    {
        FieldSetBuilder.Add(node, value, type);
        node.MarkMember();
    }
}
