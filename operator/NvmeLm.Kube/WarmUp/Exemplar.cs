using System.Collections;
using System.Reflection;

namespace NvmeLm.Kube.WarmUp;

/// <summary>
/// An instance of a resource type with every public settable property set, recursively (lists and maps with one
/// entry), so that serializing it touches every member. Values are plain (strings "x", numbers 1, the first enum
/// member); members typed <see cref="object"/>, and anything deeper than <see cref="MaxDepth"/>, stay unset.
/// </summary>
internal static class Exemplar
{
    public const int MaxDepth = 8;

    private static readonly DateTime s_time = new(2026, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc);

    public static object? Of(Type type, int depth = 0)
    {
        if (depth > MaxDepth || type == typeof(object))
        {
            return null;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, depth);
        }

        return type switch
        {
            _ when type == typeof(string) => "x",
            _ when type == typeof(bool) => true,
            _ when type.IsEnum => Enum.GetValues(type) is { Length: > 0 } values ? values.GetValue(0) : Activator.CreateInstance(type),
            _ when type.IsPrimitive || type == typeof(decimal) => Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture),
            _ when type == typeof(DateTime) => s_time,
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(s_time),
            _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(1),
            _ when type == typeof(byte[]) => new byte[] { 1 },
            _ when type.IsArray => OneElementArray(type.GetElementType()!, depth),
            _ => Collection(type, depth) ?? Populated(type, depth),
        };
    }

    private static Array OneElementArray(Type element, int depth)
    {
        var array = Array.CreateInstance(element, 1);
        array.SetValue(Of(element, depth + 1), 0);
        return array;
    }

    /// <summary>A one-entry List or Dictionary for a list or string-keyed map type; null for anything else.</summary>
    private static object? Collection(Type type, int depth)
    {
        if (!type.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        Type[] arguments = type.GetGenericArguments();
        if (arguments is [var key, var value] && key == typeof(string))
        {
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
            map["x"] = Of(value, depth + 1);
            return type.IsAssignableFrom(map.GetType()) ? map : null;
        }

        if (arguments is [var item])
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            list.Add(Of(item, depth + 1));
            return type.IsAssignableFrom(list.GetType()) ? list : null;
        }

        return null;
    }

    private static object? Populated(Type type, int depth)
    {
        if (type.IsAbstract || type.IsInterface || (!type.IsValueType && type.GetConstructor(Type.EmptyTypes) is null))
        {
            return null;
        }

        object instance = Activator.CreateInstance(type)!;
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0
                && Of(property.PropertyType, depth + 1) is { } value)
            {
                property.SetValue(instance, value);
            }
        }

        return instance;
    }
}
