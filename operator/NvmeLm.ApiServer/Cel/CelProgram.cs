using Cel;

namespace NvmeLm.ApiServer.Cel;

/// <summary>A compiled CEL expression of a <see cref="KubeCelEnvironment"/>, with the text it was compiled from.</summary>
public sealed class CelProgram
{
    internal CelProgram(string expression, CelProgramDelegate evaluate)
    {
        Expression = expression;
        Evaluate = evaluate;
    }

    /// <summary>The expression as written (before any desugaring).</summary>
    public string Expression { get; }

    internal CelProgramDelegate Evaluate { get; }
}
