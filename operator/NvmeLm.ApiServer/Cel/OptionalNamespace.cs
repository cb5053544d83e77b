namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// The value of the identifier <c>optional</c>, so that <c>optional.of(x)</c>, <c>optional.none()</c> and
/// <c>optional.ofNonZeroValue(x)</c> parse as member calls on it (the Cel package has no namespaced functions).
/// </summary>
public sealed class OptionalNamespace
{
    public const string Identifier = "optional";

    public static OptionalNamespace Instance { get; } = new();

    private OptionalNamespace()
    {
    }
}
