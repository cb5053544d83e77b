namespace NvmeLm.ApiServer.Validation;

/// <summary>Field paths in kube form: <c>spec.source.node</c>, <c>spec.items[0]</c>, <c>spec.labels[key]</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Key(string parent, string key) => $"{parent}[{key}]";

    /// <summary>Appends a CEL rule's <c>fieldPath</c> (<c>.a.b</c>, a JSON path relative to self).</summary>
    public static string Append(string parent, string relativeJsonPath)
    {
        string trimmed = relativeJsonPath.TrimStart('.');
        return parent.Length == 0 ? trimmed : $"{parent}.{trimmed}";
    }
}
