using Cel;

namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// A CEL environment with what Kubernetes' CEL adds that its policies use and the Cel package lacks: the
/// optional library (<c>m[?k]</c>, <c>x.?f</c>, <c>optional.of(…)</c>, <c>orValue</c>; see
/// <see cref="OptionalSyntaxRewriter"/>) and the extended string functions (<see cref="StringsLibrary"/>). The
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
            var parsed = _environment.Parse(expression);
            string desugared = OptionalSyntaxRewriter.Rewrite(parsed, expression);
            var program = ReferenceEquals(desugared, expression) ? _environment.Compile(parsed) : _environment.Compile(desugared);
            return new CelProgram(expression, program);
        }
        catch (Exception e) when (e is CelException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new CelExpressionException($"compilation failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Evaluates <paramref name="program"/> with <paramref name="variables"/> (plain values: dictionaries, lists,
    /// strings, long, double, bool, null); a failure throws <see cref="CelExpressionException"/> with the reason.
    /// </summary>
    public object? Evaluate(CelProgram program, IReadOnlyDictionary<string, object?> variables)
    {
        var activation = new Dictionary<string, object?>(variables.Count + 1, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            activation[name] = value;
        }
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
