namespace NvmeLm.ApiServer.Http;

/// <summary>One entry of a 422 Status's <c>details.causes</c> (apimachinery's field.Error).</summary>
/// <param name="Reason">The cause type as kube spells it, e.g. <c>FieldValueRequired</c>.</param>
/// <param name="Field">The field path, e.g. <c>spec.replicas</c>.</param>
/// <param name="Message">The full message, e.g. <c>Required value</c> or <c>Invalid value: 3: must be less than 2</c>.</param>
public sealed record InvalidCause(string Reason, string Field, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Field) ? Message : $"{Field}: {Message}";
}
