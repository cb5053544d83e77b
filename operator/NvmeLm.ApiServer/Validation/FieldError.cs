namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// One validation failure, shaped like kube-apiserver's <c>field.Error</c>: <see cref="Field"/> is the path
/// in kube form (<c>spec.source.node</c>, <c>spec.items[0].x</c>) and <see cref="Message"/> the full text,
/// e.g. <c>spec.numVfs: Invalid value: 300: spec.numVfs in body should be less than or equal to 255</c>.
/// </summary>
public sealed record FieldError(string Field, FieldErrorType Type, string Message)
{
    /// <summary>The <c>reason</c> of the StatusCause a 422 Invalid response carries for this error.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        _ => throw new InvalidOperationException($"Unknown field error type {Type}"),
    };

    /// <summary>The StatusCause <c>message</c>: the message without the leading <c>field: </c>, as kube sends it.</summary>
    public string Detail => Message.StartsWith(Field + ": ", StringComparison.Ordinal) ? Message[(Field.Length + 2)..] : Message;

    public override string ToString() => Message;
}
