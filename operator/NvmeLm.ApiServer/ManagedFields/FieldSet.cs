using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>
/// A set of field paths, the unit of field ownership in server-side apply (structured-merge-diff
/// <c>fieldpath.Set</c>). Each node is one path element, already in its serialized form
/// (<c>f:name</c>, <c>k:{"name":"x"}</c>, <c>v:"x"</c>); <see cref="IsMember"/> says whether the path
/// ending here is itself in the set. The JSON form is kube's <c>FieldsV1</c>: a member with children
/// carries <c>".": {}</c>, a member without children is <c>{}</c>.
/// </summary>
public sealed class FieldSet
{
    private const string SelfKey = ".";

    private SortedDictionary<string, FieldSet>? _children;

    public bool IsMember { get; private set; }

    /// <summary>No member here or below (nodes left without members by a walk do not count).</summary>
    public bool IsEmpty => !HasMembers();

    public IEnumerable<KeyValuePair<string, FieldSet>> Children => _children ?? Enumerable.Empty<KeyValuePair<string, FieldSet>>();

    public FieldSet? Child(string element) => _children?.GetValueOrDefault(element);

    /// <summary>The node for <paramref name="element"/>, created when missing.</summary>
    public FieldSet Descend(string element)
    {
        _children ??= new SortedDictionary<string, FieldSet>(PathElements.Comparer);
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }
        return child;
    }

    public void MarkMember() => IsMember = true;

    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        var set = new FieldSet();
        if (fieldsV1 is JsonObject obj)
        {
            Read(set, obj);
        }
        return set;
    }

    public JsonObject ToFieldsV1()
    {
        var obj = new JsonObject();
        foreach (var (element, child) in Children)
        {
            if (child.IsEmpty)
            {
                continue;
            }
            var node = child.ToFieldsV1();
            if (child.IsMember && node.Count > 0)
            {
                var withSelf = new JsonObject { [SelfKey] = new JsonObject() };
                foreach (var (k, v) in node.ToList())
                {
                    node.Remove(k);
                    withSelf[k] = v;
                }
                node = withSelf;
            }
            obj[element] = node;
        }
        return obj;
    }

    /// <summary>Adds every member of <paramref name="other"/> to this set.</summary>
    public void UnionWith(FieldSet other)
    {
        IsMember |= other.IsMember;
        foreach (var (element, child) in other.Children)
        {
            Descend(element).UnionWith(child);
        }
    }

    /// <summary>Removes every member of <paramref name="other"/> from this set (children of a removed member stay).</summary>
    public void ExceptWith(FieldSet other)
    {
        if (other.IsMember)
        {
            IsMember = false;
        }
        if (_children is null)
        {
            return;
        }
        foreach (var (element, otherChild) in other.Children)
        {
            if (_children.TryGetValue(element, out var child))
            {
                child.ExceptWith(otherChild);
                if (child.IsEmpty)
                {
                    _children.Remove(element);
                }
            }
        }
    }

    /// <summary>The members in both sets.</summary>
    public FieldSet Intersect(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        foreach (var (element, child) in Children)
        {
            if (other.Child(element) is { } otherChild)
            {
                var common = child.Intersect(otherChild);
                if (!common.IsEmpty)
                {
                    result.Descend(element).UnionWith(common);
                }
            }
        }
        return result;
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet();
        copy.UnionWith(this);
        return copy;
    }

    /// <summary>Whether this node or anything below it is a member.</summary>
    public bool HasMembers()
    {
        if (IsMember)
        {
            return true;
        }
        foreach (var (_, child) in Children)
        {
            if (child.HasMembers())
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every member path, each as its list of serialized elements, in set order.</summary>
    public IEnumerable<IReadOnlyList<string>> MemberPaths() => MemberPaths([]);

    private IEnumerable<IReadOnlyList<string>> MemberPaths(List<string> prefix)
    {
        foreach (var (element, child) in Children)
        {
            prefix.Add(element);
            if (child.IsMember)
            {
                yield return prefix.ToArray();
            }
            foreach (var path in child.MemberPaths(prefix))
            {
                yield return path;
            }
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    private static void Read(FieldSet set, JsonObject obj)
    {
        foreach (var (element, value) in obj)
        {
            if (element == SelfKey)
            {
                set.IsMember = true;
                continue;
            }
            var child = set.Descend(element);
            if (value is JsonObject inner && inner.Count > 0)
            {
                Read(child, inner);
            }
            else
            {
                child.IsMember = true;
            }
        }
    }
}
