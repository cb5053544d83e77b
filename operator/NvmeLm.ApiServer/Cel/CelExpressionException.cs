namespace NvmeLm.ApiServer.Cel;

/// <summary>A CEL expression that does not compile, or whose evaluation failed; the message says why.</summary>
public sealed class CelExpressionException : Exception
{
    public CelExpressionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
