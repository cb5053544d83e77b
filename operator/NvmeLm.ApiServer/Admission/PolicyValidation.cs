namespace NvmeLm.ApiServer.Admission;

/// <summary>One <c>spec.validations</c> entry: the rule, and how a failure is reported (message, messageExpression, reason).</summary>
public sealed record PolicyValidation(PolicyExpression Rule, string? Message, PolicyExpression? MessageExpression, string? Reason);
