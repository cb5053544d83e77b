namespace NvmeLm.Api.Schema;

/// <summary><c>x-kubernetes-preserve-unknown-fields: true</c>: the API server keeps fields the schema does not list. Use only for opaque payloads, and say why at the use site.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PreserveUnknownFieldsAttribute : Attribute
{
}
