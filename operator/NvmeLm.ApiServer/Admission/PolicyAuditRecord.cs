namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// An audit annotation admission policy added to a request's audit event: a failed validation under the Audit
/// action (key <c>validation.policy.admission.k8s.io/validation_failure</c>, a JSON list as kube writes it) or a
/// policy's audit annotation (key <c>&lt;policy&gt;/&lt;key&gt;</c>).
/// </summary>
public sealed record PolicyAuditRecord(DateTimeOffset Time, string User, string Operation, string Resource, string Subresource, string Namespace, string Name, string Key, string Value);
