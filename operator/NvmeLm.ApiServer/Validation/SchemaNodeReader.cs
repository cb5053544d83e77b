using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Reads a <see cref="V1JSONSchemaProps"/> tree into <see cref="SchemaNode"/>s, compiling patterns and
/// CEL rules. An invalid pattern or rule throws <see cref="ArgumentException"/>, as kube-apiserver refuses
/// such a CRD.
/// </summary>
internal sealed class SchemaNodeReader(CelEnvironment cel)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> s_patterns = new(StringComparer.Ordinal);
    private static readonly Regex s_oldSelf = new(@"\boldSelf\b", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public SchemaNode Read(V1JSONSchemaProps props, string path)
    {
        var additional = props.AdditionalProperties;
        return new SchemaNode
        {
            Type = props.Type,
            Format = props.Format,
            Description = props.Description,
            Properties = props.Properties?.ToDictionary(p => p.Key, p => Read(p.Value, FieldPath.Child(path, p.Key))),
            Required = props.Required?.ToList() ?? [],
            Items = props.Items is null ? null : Read(AsSchema(props.Items), path + "[*]"),
            AdditionalProperties = additional is null or bool ? null : ReadAdditional(additional, path),
            AdditionalPropertiesAllowed = additional is true || (additional is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.True }),
            Enum = props.EnumProperty?.Select(JsonNodes.FromObject).ToList(),
            Default = JsonNodes.FromObject(props.DefaultProperty),
            PatternText = props.Pattern,
            Pattern = props.Pattern is null ? null : CompilePattern(props.Pattern, path),
            Minimum = props.Minimum,
            ExclusiveMinimum = props.ExclusiveMinimum == true,
            Maximum = props.Maximum,
            ExclusiveMaximum = props.ExclusiveMaximum == true,
            MultipleOf = props.MultipleOf,
            MinLength = props.MinLength,
            MaxLength = props.MaxLength,
            MinItems = props.MinItems,
            MaxItems = props.MaxItems,
            MinProperties = props.MinProperties,
            MaxProperties = props.MaxProperties,
            Nullable = props.Nullable == true,
            PreserveUnknownFields = props.XKubernetesPreserveUnknownFields == true,
            IntOrString = props.XKubernetesIntOrString == true,
            EmbeddedResource = props.XKubernetesEmbeddedResource == true,
            ListType = props.XKubernetesListType,
            ListMapKeys = props.XKubernetesListMapKeys?.ToList() ?? [],
            Rules = props.XKubernetesValidations?.Select(r => Compile(r, path)).ToList() ?? [],
        };
    }

    private SchemaNode? ReadAdditional(object additional, string path)
    {
        // YAML and JSON carry `additionalProperties: false` as a bool-like value; only a schema is read.
        var node = JsonNodes.FromObject(additional);
        return node is JsonObject ? Read(AsSchema(additional), path + "[*]") : null;
    }

    /// <summary>items / additionalProperties arrive as a model, a JsonElement or a YAML dictionary.</summary>
    private static V1JSONSchemaProps AsSchema(object value) => value switch
    {
        V1JSONSchemaProps props => props,
        _ => JsonNodes.FromObject(value) is JsonObject obj
            ? KubernetesJson.Deserialize<V1JSONSchemaProps>(obj)
            : throw new ArgumentException($"Expected a schema object, got {value.GetType().Name}"),
    };

    private static Regex CompilePattern(string pattern, string path)
    {
        try
        {
            return s_patterns.GetOrAdd(pattern, p => new Regex(ToDotNetSyntax(p), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: pattern '{pattern}' is not a valid regular expression: {e.Message}", e);
        }
    }

    /// <summary>
    /// ECMA/RE2 <c>$</c> matches only at the very end; .NET's also before a final newline, so an unescaped
    /// <c>$</c> outside a character class becomes <c>\z</c> (otherwise "0000:01:00.1\n" would pass).
    /// </summary>
    internal static string ToDotNetSyntax(string pattern)
    {
        var builder = new System.Text.StringBuilder(pattern.Length + 4);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                builder.Append(c).Append(pattern[++i]);
                continue;
            }

            inClass = c == '[' || (inClass && c != ']');
            builder.Append(c == '$' && !inClass ? "\\z" : c.ToString());
        }

        return builder.ToString();
    }

    private CompiledRule Compile(V1ValidationRule rule, string path)
    {
        if (string.IsNullOrWhiteSpace(rule.Rule))
        {
            throw new ArgumentException($"{path}: x-kubernetes-validations rule is empty");
        }

        CelProgramDelegate program;
        try
        {
            program = cel.Compile(rule.Rule);
        }
        catch (Exception e) when (e is CelException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"{path}: x-kubernetes-validations rule '{rule.Rule}' does not compile: {e.Message}", e);
        }

        return new CompiledRule
        {
            Rule = rule.Rule,
            Program = program,
            IsTransition = s_oldSelf.IsMatch(rule.Rule),
            Message = rule.Message,
            Reason = rule.Reason,
            FieldPath = rule.FieldPath,
        };
    }
}
