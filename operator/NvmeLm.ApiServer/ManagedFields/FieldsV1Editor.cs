using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Edits a stored <c>FieldsV1</c> tree in place by a (small) <see cref="FieldSet"/>, visiting only the paths
/// of that set, so recording a write costs as much as the change, not as much as the object. A node's
/// membership is read from the JSON form: <c>{}</c> (no children) or a <c>"."</c> entry.
/// </summary>
public static class FieldsV1Editor
{
    private const string SelfKey = ".";

    /// <summary>Removes the members of <paramref name="remove"/>; returns whether <paramref name="fields"/> is left empty.</summary>
    public static bool Remove(JsonObject fields, FieldSet remove)
    {
        foreach (var (element, removeChild) in remove.Children)
        {
            if (fields[element] is not JsonObject child)
            {
                continue;
            }
            bool member = child.Count == 0 || child.ContainsKey(SelfKey);
            child.Remove(SelfKey);
            bool childrenLeft = child.Count > 0 && !Remove(child, removeChild);
            member &= !removeChild.IsMember;
            if (!member && !childrenLeft)
            {
                fields.Remove(element);
            }
            else if (member && childrenLeft)
            {
                child.Insert(0, SelfKey, new JsonObject());
            }
            else if (member)
            {
                child.Clear();
            }
        }
        return fields.Count == 0;
    }

    /// <summary>Adds the members of <paramref name="add"/>.</summary>
    public static void Add(JsonObject fields, FieldSet add)
    {
        foreach (var (element, addChild) in add.Children)
        {
            if (addChild.IsEmpty)
            {
                continue;
            }
            bool existed = fields[element] is JsonObject;
            var child = fields[element] as JsonObject ?? new JsonObject();
            bool member = (existed && (child.Count == 0 || child.ContainsKey(SelfKey))) || addChild.IsMember;
            child.Remove(SelfKey);
            Add(child, addChild);
            if (member && child.Count > 0)
            {
                child.Insert(0, SelfKey, new JsonObject());
            }
            if (!existed)
            {
                fields[element] = child;
            }
        }
    }
}
