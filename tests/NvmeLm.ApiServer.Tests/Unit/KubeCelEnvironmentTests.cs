using NvmeLm.ApiServer.Cel;

namespace NvmeLm.ApiServer.Tests.Unit;

/// <summary>The CEL environment admission policies use: the Cel package plus Kubernetes' optional library.</summary>
public sealed class KubeCelEnvironmentTests
{
    private static readonly KubeCelEnvironment s_cel = new();

    private static readonly Dictionary<string, object?> s_variables = new()
    {
        ["request"] = new Dictionary<string, object?>
        {
            ["userInfo"] = new Dictionary<string, object?>
            {
                ["username"] = "system:serviceaccount:nvme-lm:agent",
                ["extra"] = new Dictionary<string, object?> { ["authentication.kubernetes.io/node-name"] = new List<object?> { "node-a" } },
            },
        },
        ["anonymous"] = new Dictionary<string, object?> { ["extra"] = new Dictionary<string, object?>() },
        ["object"] = new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?> { ["name"] = "node-a", ["labels"] = new Dictionary<string, object?> { ["app"] = "agent" } },
            ["spec"] = new Dictionary<string, object?> { ["pfs"] = new List<object?> { 1L, 2L } },
        },
    };

    [Theory]
    [InlineData("request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')", "node-a")]
    [InlineData("anonymous.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')", "")]
    [InlineData("object.metadata.?labels.?app.orValue('none')", "agent")]
    [InlineData("object.metadata.?annotations.?app.orValue('none')", "none")]
    [InlineData("object.?status.phase.orValue('unknown')", "unknown")]
    [InlineData("(object.spec[?'pfs'])[1].orValue(0) == 2", true)]
    [InlineData("object.spec.pfs[?5].orValue(-1)", -1L)]
    [InlineData("object.spec.?pfs.hasValue()", true)]
    [InlineData("optional.of(3).value()", 3L)]
    [InlineData("optional.none().hasValue()", false)]
    [InlineData("optional.none().or(optional.of('x')).value()", "x")]
    [InlineData("optional.ofNonZeroValue('').hasValue()", false)]
    [InlineData("has(object.metadata.labels) && !has(object.metadata.annotations)", true)]
    [InlineData("object.metadata.name.startsWith('node-') && object.metadata.name == request.userInfo.extra['authentication.kubernetes.io/node-name'][0]", true)]
    [InlineData("request.userInfo.username.split(':')[3]", "agent")]
    [InlineData("request.userInfo.username.split(':', 2)[1]", "serviceaccount:nvme-lm:agent")]
    [InlineData("'Node-A'.lowerAscii() + 'x'.upperAscii()", "node-aX")]
    [InlineData("'abcd'.substring(1, 3) + 'abcd'.substring(3) + 'abcd'.charAt(0)", "bcda")]
    [InlineData("['a', 'b'].join('-') + ['c'].join()", "a-bc")]
    [InlineData("'  x '.trim() + 'a.b'.replace('.', '/')", "xa/b")]
    [InlineData("'abcabc'.indexOf('c') + 'abcabc'.lastIndexOf('c') + 'abcabc'.indexOf('a', 1)", 10L)]
    public void Evaluate_Should_FollowCelSemantics_IncludingOptionals(string expression, object expected)
    {
        var result = s_cel.Evaluate(s_cel.Compile(expression), new Dictionary<string, object?>(s_variables));

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("anonymous.extra['authentication.kubernetes.io/node-name'][0]", "Key out of range.")]
    [InlineData("optional.none().value()", "optional.none() dereference")]
    [InlineData("quantity('1Gi')", "quantity")]
    [InlineData("'abc'.substring(5)", "index out of range: 5")]
    public void Evaluate_Should_FailWithTheReason_When_TheExpressionCannotBeEvaluated(string expression, string reason)
    {
        var program = s_cel.Compile(expression);

        var error = Assert.Throws<CelExpressionException>(() => s_cel.Evaluate(program, new Dictionary<string, object?>(s_variables)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("object.metadata.name ==", "compilation failed:")]
    [InlineData("[?object.metadata.?name]", "optional entries in list, map or message literals ('?object.metadata.?name') are not supported")]
    [InlineData("{?'a': optional.of(1)}", "optional entries in list, map or message literals")]
    [InlineData(" ", "the expression is empty")]
    public void Compile_Should_RefuseWithAClearMessage(string expression, string message)
    {
        var error = Assert.Throws<CelExpressionException>(() => s_cel.Compile(expression));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
