namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// A validation that failed (or could not be evaluated under failurePolicy Fail): which one (-1 for a failure
/// of the policy as a whole), the message, and the reason the denial carries (Invalid unless the validation names one).
/// </summary>
public sealed record PolicyDecision(int ExpressionIndex, string Message, string Reason);
