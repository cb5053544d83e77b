namespace NvmeLm.ApiServer.Admission;

/// <summary>An audit annotation a policy published (its key is <c>&lt;policy&gt;/&lt;key&gt;</c> in the audit record).</summary>
public sealed record PolicyAuditAnnotation(string Key, string Value);
