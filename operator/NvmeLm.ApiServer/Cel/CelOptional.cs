namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// A CEL <c>optional</c> value (cel-go's <c>optional_type</c>, which Kubernetes enables in every CEL environment):
/// what <c>m[?k]</c>, <c>x.?f</c>, <c>optional.of(v)</c> and <c>optional.none()</c> produce.
/// </summary>
public sealed class CelOptional
{
    private readonly object? _value;

    private CelOptional(bool hasValue, object? value)
    {
        HasValue = hasValue;
        _value = value;
    }

    public static CelOptional None { get; } = new(false, null);

    public bool HasValue { get; }

    /// <summary>The value; reading it from an empty optional is an evaluation error, as <c>optional.none().value()</c> is in cel-go.</summary>
    public object? Value => HasValue ? _value : throw new InvalidOperationException("optional.none() dereference");

    public static CelOptional Of(object? value) => new(true, value);

    public override string ToString() => HasValue ? $"optional.of({_value})" : "optional.none()";
}
