using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NvmeLm.CrdGen;

/// <summary>
/// Writes a CRD as YAML in the field order KubernetesJson produces (apiVersion, kind, metadata, spec;
/// schema keys alphabetical, as controller-gen writes them), one line per scalar, so diffs stay readable.
/// </summary>
public static partial class CrdYamlWriter
{
    public const string RegenerateCommand = "dotnet run --project crds/NvmeLm.CrdGen -- --out crds";

    public static string Write(V1CustomResourceDefinition crd)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(crd))!;
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        text.WriteLine($"# Generated from crds/NvmeLm.Api by NvmeLm.CrdGen; do not edit. Regenerate: {RegenerateCommand}");
        var emitter = new Emitter(text, new EmitterSettings().WithBestWidth(int.MaxValue).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: false));
        EmitNode(emitter, json);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void EmitNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    EmitNode(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    EmitNode(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                // Numbers and booleans: their JSON text is also their YAML text.
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string value)
    {
        // A plain scalar that a YAML parser would read as null, bool or number must be quoted.
        var style = value.Length == 0 || NonStringScalar().IsMatch(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    [GeneratedRegex("^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex NonStringScalar();
}
