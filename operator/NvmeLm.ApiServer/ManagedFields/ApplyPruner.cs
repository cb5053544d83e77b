using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// Removes what an applier stopped applying (structured-merge-diff <c>Updater.prune</c>): a field, map
/// entry or list item the manager applied last time, did not apply this time, and that no manager (this
/// applier's new configuration included) owns — neither the value itself nor anything below it.
/// </summary>
public static class ApplyPruner
{
    /// <param name="merged">The merged object, changed in place.</param>
    /// <param name="dropped">Last applied set minus the new applied set.</param>
    /// <param name="owned">Everything any manager owns after this apply.</param>
    public static void Prune(JsonObject merged, FieldSet dropped, FieldSet owned, MergeType type) =>
        PruneChildren(merged, dropped, owned, type);

    private static void PruneChildren(JsonNode? value, FieldSet dropped, FieldSet? owned, MergeType type)
    {
        foreach (var (element, droppedChild) in dropped.Children.ToList())
        {
            var ownedChild = owned?.Child(element);
            if (!Locate(value, element, type, out var childValue, out var childType))
            {
                continue;
            }
            if (droppedChild.IsMember && (ownedChild is null || ownedChild.IsEmpty))
            {
                Remove(value!, element, type);
                continue;
            }
            PruneChildren(childValue, droppedChild, ownedChild, childType);
        }
    }

    private static bool Locate(JsonNode? parent, string element, MergeType type, out JsonNode? child, out MergeType childType)
    {
        child = null;
        childType = MergeType.Deduced;
        switch (element[0], parent)
        {
            case ('f', JsonObject obj) when obj.TryGetPropertyValue(element[2..], out child):
                childType = type.FieldType(element[2..]);
                return true;
            case ('k' or 'v', JsonArray list):
                child = list.FirstOrDefault(item => ListItems.Element(item, type) == element);
                childType = type.ElementType;
                return child is not null || list.Any(item => item is null && ListItems.Element(item, type) == element);
            default:
                return false;
        }
    }

    private static void Remove(JsonNode parent, string element, MergeType type)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(element[2..]);
                break;
            case JsonArray list:
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (ListItems.Element(list[i], type) == element)
                    {
                        list.RemoveAt(i);
                    }
                }
                break;
        }
    }
}
