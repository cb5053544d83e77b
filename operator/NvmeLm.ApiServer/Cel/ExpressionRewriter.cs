using System.Text;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace NvmeLm.ApiServer.Cel;

/// <summary>
/// Rewrites a parsed CEL expression into one the Cel package evaluates correctly and faster:
/// <list type="bullet">
/// <item>Optional field selection and indexing, which the Cel package parses but evaluates as plain access (so
/// <c>extra[?'k']</c> fails when the key is missing): <c>x.?f</c> becomes a call of
/// <see cref="OptionalLibrary.SelectFunction"/>, <c>x[?k]</c> of <see cref="OptionalLibrary.IndexFunction"/>, and so
/// does every later <c>.f</c> or <c>[k]</c> of the same chain, which cel-go also evaluates optionally.
/// <c>request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')</c> thus yields '' for a
/// user without the claim.</item>
/// <item>Plain field selection <c>x.f</c> becomes <c>x['f']</c>: on the maps policies see it means the same (a
/// missing field is an error either way), and the Cel package evaluates an index without the enum-descriptor
/// search it makes for every selection (a third of a policy's evaluation time). The argument of <c>has()</c>
/// stays a selection, which is what <c>has</c> tests.</item>
/// </list>
/// Optional entries in list, map or message literals (<c>[?x]</c>, <c>{?k: v}</c>) are refused with a clear error.
/// </summary>
internal static class ExpressionRewriter
{
    public static string Rewrite(CelParser.StartContext parsed)
    {
        RefuseOptionalEntries(parsed);
        var text = new StringBuilder(parsed.GetText().Length + 64);
        Emit(parsed, text);
        return text.ToString();
    }

    private static void RefuseOptionalEntries(IParseTree node)
    {
        switch (node)
        {
            case CelParser.OptExprContext entry when entry.opt is not null:
                throw Unsupported(entry);
            case CelParser.OptFieldContext field when field.opt is not null:
                throw Unsupported(field);
        }
        for (int i = 0; i < node.ChildCount; i++)
        {
            RefuseOptionalEntries(node.GetChild(i));
        }
    }

    private static void Emit(IParseTree node, StringBuilder text, bool keepSelect = false)
    {
        switch (node)
        {
            case CelParser.IndexContext index when index.opt is not null || IsOptional(index.member()):
                text.Append(OptionalLibrary.IndexFunction).Append('(');
                Emit(index.member(), text);
                text.Append(", ");
                Emit(index.index, text);
                text.Append(')');
                break;
            case CelParser.SelectContext select when select.opt is not null || IsOptional(select.member()):
                text.Append(OptionalLibrary.SelectFunction).Append('(');
                Emit(select.member(), text);
                text.Append(", '").Append(select.id.Text).Append("')");
                break;
            case CelParser.SelectContext select when !keepSelect:
                Emit(select.member(), text);
                text.Append("['").Append(select.id.Text).Append("'] ");
                break;
            case CelParser.IdentOrGlobalCallContext { id.Text: "has" } call when call.exprList() is { } arguments:
                text.Append("has(");
                Emit(arguments, text, keepSelect: true);
                text.Append(") ");
                break;
            case ITerminalNode terminal:
                if (terminal.Symbol.Type != TokenConstants.EOF)
                {
                    // Tokens are re-joined with spaces: whitespace and comments are on a hidden channel and not in the tree.
                    text.Append(terminal.GetText()).Append(' ');
                }
                break;
            default:
                // keepSelect passes down only through the single-child levels between has( and its selection.
                bool passDown = keepSelect && node.ChildCount == 1;
                for (int i = 0; i < node.ChildCount; i++)
                {
                    Emit(node.GetChild(i), text, passDown);
                }
                break;
        }
    }

    /// <summary>Whether a member expression yields an optional: an optional access, a qualifier of one, or optional.of/none/or.</summary>
    private static bool IsOptional(IParseTree node)
    {
        node = Unwrap(node);
        return node switch
        {
            CelParser.IndexContext index => index.opt is not null || IsOptional(index.member()),
            CelParser.SelectContext select => select.opt is not null || IsOptional(select.member()),
            CelParser.MemberCallContext call => call.id.Text switch
            {
                "or" => IsOptional(call.member()),
                "of" or "none" or "ofNonZeroValue" => Unwrap(call.member()).GetText() == OptionalNamespace.Identifier,
                _ => false,
            },
            _ => false,
        };
    }

    /// <summary>Looks through parentheses and the grammar's single-child levels (expr → … → member).</summary>
    private static IParseTree Unwrap(IParseTree node)
    {
        while (true)
        {
            if (node is CelParser.NestedContext nested)
            {
                node = nested.e;
            }
            else if (node is ParserRuleContext { ChildCount: 1 } rule && rule.GetChild(0) is ParserRuleContext only)
            {
                node = only;
            }
            else
            {
                return node;
            }
        }
    }

    private static NotSupportedException Unsupported(ParserRuleContext entry) =>
        new($"optional entries in list, map or message literals ('{entry.GetText()}') are not supported by this server's CEL");
}
