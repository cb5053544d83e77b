using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// The set of fields an object (an applied configuration) specifies, structured-merge-diff's
/// <c>TypedValue.ToFieldSet</c>: scalars and atomic values are members; items of set and map lists are
/// members themselves and (for map lists) through their fields; map entries that are not declared fields,
/// and null or empty values, are members.
/// </summary>
public static class FieldSetBuilder
{
    public static FieldSet Build(JsonObject obj, MergeType type)
    {
        var set = new FieldSet();
        AddMap(set, obj, type);
        return set;
    }

    /// <summary>Adds <paramref name="value"/>'s fields below <paramref name="node"/> (the node itself is the caller's business).</summary>
    public static void Add(FieldSet node, JsonNode? value, MergeType type)
    {
        switch (value)
        {
            case JsonObject obj when type.Kind == MergeKind.Map:
                AddMap(node, obj, type);
                break;
            case JsonArray list when type.Kind is MergeKind.Set or MergeKind.AssociativeList:
                AddList(node, list, type);
                break;
            default:
                node.MarkMember();
                break;
        }
    }

    private static void AddMap(FieldSet node, JsonObject obj, MergeType type)
    {
        foreach (var (key, value) in obj)
        {
            var child = node.Descend(PathElements.Field(key));
            Add(child, value, type.FieldType(key));
            if (value is null || value is JsonObject { Count: 0 } || !type.IsDeclared(key))
            {
                child.MarkMember();
            }
        }
    }

    private static void AddList(FieldSet node, JsonArray list, MergeType type)
    {
        if (list.Count == 0)
        {
            node.MarkMember();
            return;
        }
        foreach (var item in list)
        {
            var child = node.Descend(ListItems.Element(item, type));
            if (type.Kind == MergeKind.AssociativeList)
            {
                Add(child, item, type.ElementType);
            }
            child.MarkMember();
        }
    }
}
