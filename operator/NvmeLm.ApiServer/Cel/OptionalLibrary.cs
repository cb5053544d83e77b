using System.Collections;
using Cel;

namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// CEL's optional library (cel-go <c>ext/optional</c>, on in Kubernetes' CEL environments) for the Cel package,
/// which parses <c>[?k]</c> and <c>.?f</c> but evaluates them as plain access: the functions behind
/// <see cref="ExpressionRewriter"/>'s desugaring, plus <c>optional.of/none/ofNonZeroValue</c> and the
/// methods <c>hasValue()</c>, <c>value()</c>, <c>orValue(v)</c> and <c>or(o)</c>.
/// </summary>
internal static class OptionalLibrary
{
    /// <summary><c>target[?key]</c>, and any index after one in the same chain.</summary>
    public const string IndexFunction = "__optional_index__";

    /// <summary><c>target.?field</c>, and any field selection after one in the same chain.</summary>
    public const string SelectFunction = "__optional_select__";

    public static void Register(CelEnvironment environment)
    {
        environment.RegisterFunction(IndexFunction, [typeof(object), typeof(object)], args => Qualify(args[0], args[1]));
        environment.RegisterFunction(SelectFunction, [typeof(object), typeof(string)], args => Qualify(args[0], args[1]));
        environment.RegisterFunction("of", [typeof(OptionalNamespace), typeof(object)], args => CelOptional.Of(args[1]));
        environment.RegisterFunction("none", [typeof(OptionalNamespace)], _ => CelOptional.None);
        environment.RegisterFunction("ofNonZeroValue", [typeof(OptionalNamespace), typeof(object)],
            args => IsZeroValue(args[1]) ? CelOptional.None : CelOptional.Of(args[1]));
        environment.RegisterFunction("hasValue", [typeof(CelOptional)], args => Optional(args[0]).HasValue);
        environment.RegisterFunction("value", [typeof(CelOptional)], args => Optional(args[0]).Value);
        environment.RegisterFunction("orValue", [typeof(CelOptional), typeof(object)], args =>
            Optional(args[0]) is { HasValue: true } present ? present.Value : args[1]);
        environment.RegisterFunction("or", [typeof(CelOptional), typeof(CelOptional)], args =>
            Optional(args[0]).HasValue ? args[0] : args[1]);
    }

    /// <summary>
    /// Optional qualification: an empty optional stays empty, a present key or index gives <c>optional.of(value)</c>,
    /// an absent one <c>optional.none()</c> (cel-go treats every qualifier after the first optional one this way).
    /// </summary>
    private static CelOptional Qualify(object? target, object? key)
    {
        if (target is CelOptional optional)
        {
            if (!optional.HasValue)
            {
                return CelOptional.None;
            }
            target = optional.Value;
        }
        switch (target)
        {
            case null:
                return CelOptional.None;
            case IDictionary<string, object?> map:
                return key is string name && map.TryGetValue(name, out var value) ? CelOptional.Of(value) : CelOptional.None;
            case IDictionary map:
                return key is not null && map.Contains(key) ? CelOptional.Of(map[key]) : CelOptional.None;
            case IList list:
                long? index = key switch
                {
                    long l => l,
                    int i => i,
                    ulong u when u <= long.MaxValue => (long)u,
                    _ => null,
                };
                if (index is null)
                {
                    throw new CelNoSuchOverloadException($"no such overload: list index of type {key?.GetType().Name ?? "null"}");
                }
                return index >= 0 && index < list.Count ? CelOptional.Of(list[(int)index.Value]) : CelOptional.None;
            default:
                // The Cel package answers a missing map field with an internal "no such field" marker instead of an error.
                if (target.GetType().Name == "CelNoSuchField")
                {
                    return CelOptional.None;
                }
                throw new CelNoSuchOverloadException($"no such overload: optional access on {target.GetType().Name}");
        }
    }

    private static CelOptional Optional(object? value) =>
        value as CelOptional ?? throw new CelNoSuchOverloadException($"no such overload: expected an optional, got {value?.GetType().Name ?? "null"}");

    private static bool IsZeroValue(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        int i => i == 0,
        ulong u => u == 0,
        double d => d == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };
}
