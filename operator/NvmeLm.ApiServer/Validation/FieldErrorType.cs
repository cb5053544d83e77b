namespace NvmeLm.ApiServer.Validation;

/// <summary>The kinds of field error kube-apiserver reports (k8s.io/apimachinery field.ErrorType).</summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    NotSupported,
    TooLong,
    TooMany,
    TypeInvalid,
    Forbidden,
}
