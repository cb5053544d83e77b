using System.Text;
using k8s.Models;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// What kubelet makes of a container's <c>env</c> and <c>args</c>: literal values, the downward API's
/// <c>fieldRef</c>s resolved from the pod, and <c>$(VAR)</c> references in arguments expanded from that environment
/// (<c>$$</c> escapes a <c>$</c>; an unknown reference stays as written, as in kube).
/// </summary>
internal static class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string> Resolve(V1Pod pod, V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.Value is not null ? Expand(variable.Value, environment)
                : variable.ValueFrom?.FieldRef is { } field ? FieldOf(pod, field.FieldPath)
                : throw new NotSupportedException($"env {variable.Name} of container {container.Name}: only values and fieldRefs are resolved here");
        }

        return environment;
    }

    public static IReadOnlyList<string> ExpandArguments(V1Container container, IReadOnlyDictionary<string, string> environment) =>
        [.. (container.Args ?? []).Select(argument => Expand(argument, environment))];

    /// <summary>The downward API fields a chart may ask for (kube: pkg/fieldpath).</summary>
    private static string FieldOf(V1Pod pod, string path) => path switch
    {
        "metadata.name" => pod.Metadata.Name,
        "metadata.namespace" => pod.Metadata.NamespaceProperty,
        "metadata.uid" => pod.Metadata.Uid,
        "spec.nodeName" => pod.Spec.NodeName,
        "spec.serviceAccountName" => pod.Spec.ServiceAccountName,
        _ => throw new NotSupportedException($"fieldRef {path} is not resolved by the installed-run harness"),
    };

    private static string Expand(string text, IReadOnlyDictionary<string, string> environment)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 == text.Length)
            {
                result.Append(text[i]);
            }
            else if (text[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (text[i + 1] == '(' && text.IndexOf(')', i + 2) is var close and > 0
                && environment.TryGetValue(text[(i + 2)..close], out var value))
            {
                result.Append(value);
                i = close;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
