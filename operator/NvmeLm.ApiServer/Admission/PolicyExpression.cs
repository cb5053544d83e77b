using NvmeLm.ApiServer.Cel;

namespace NvmeLm.ApiServer.Admission;

/// <summary>A CEL expression of a policy, compiled once; one that does not compile keeps its error, which evaluating it reports.</summary>
public sealed class PolicyExpression
{
    private PolicyExpression(string expression, CelProgram? program, string? compileError)
    {
        Expression = expression;
        Program = program;
        CompileError = compileError;
    }

    public string Expression { get; }

    public CelProgram? Program { get; }

    /// <summary>Why the expression did not compile (<c>compilation failed: …</c>), or null.</summary>
    public string? CompileError { get; }

    public static PolicyExpression Compile(KubeCelEnvironment cel, string expression)
    {
        try
        {
            return new PolicyExpression(expression, cel.Compile(expression), null);
        }
        catch (CelExpressionException e)
        {
            return new PolicyExpression(expression, null, e.Message);
        }
    }
}
