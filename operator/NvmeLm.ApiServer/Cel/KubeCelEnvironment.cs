using Cel;

namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// A CEL environment with what Kubernetes' CEL adds that its policies use and the Cel package lacks: the
/// optional library (<c>m[?k]</c>, <c>x.?f</c>, <c>optional.of(…)</c>, <c>orValue</c>; see
/// <see cref="ExpressionRewriter"/>) and the extended string functions (<see cref="StringsLibrary"/>). The
/// standard macros and functions (<c>has</c>, <c>all</c>, <c>exists</c>, <c>startsWith</c>, <c>matches</c>,
/// <c>size</c>, <c>in</c>, …) are the Cel package's. Functions neither has (Kubernetes' list, regex, quantity,
/// IP, URL and authorizer libraries) fail to evaluate with an error naming the function. Compile once, evaluate many times; evaluation is serialised because the Cel package
/// does not document its programs as thread-safe.
/// </summary>
public sealed class KubeCelEnvironment
{
    private readonly CelEnvironment _environment = new(null, null);
    private readonly object _evaluationGate = new();

    public KubeCelEnvironment()
    {
        OptionalLibrary.Register(_environment);
        StringsLibrary.Register(_environment);
    }

    /// <summary>Compiles <paramref name="expression"/>; a syntax error or an unsupported construct throws <see cref="CelExpressionException"/>.</summary>
    public CelProgram Compile(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new CelExpressionException("the expression is empty");
        }
        try
        {
            return new CelProgram(expression, _environment.Compile(ExpressionRewriter.Rewrite(_environment.Parse(expression))));
        }
        catch (Exception e) when (e is CelException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new CelExpressionException($"compilation failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="program"/> with the variables in <paramref name="activation"/> (plain values:
    /// dictionaries, lists, strings, long, double, bool, null), to which it adds the <c>optional</c> identifier; a
    /// failure throws <see cref="CelExpressionException"/> with the reason.
    /// </summary>
    public object? Evaluate(CelProgram program, Dictionary<string, object?> activation)
    {
        activation[OptionalNamespace.Identifier] = OptionalNamespace.Instance;
        object? result;
        try
        {
            lock (_evaluationGate)
            {
                result = program.Evaluate(activation);
            }
        }
        catch (Exception e) when (e is CelException or InvalidCastException or KeyNotFoundException or InvalidOperationException
            or ArgumentException or FormatException or OverflowException or NullReferenceException)
        {
            throw new CelExpressionException(e.Message, e);
        }
        // The Cel package answers a missing field with an internal marker rather than an error.
        if (result is not null && result.GetType().Name == "CelNoSuchField")
        {
            throw new CelExpressionException("no such key");
        }
        return result;
    }
}
