namespace NvmeLm.Operator.Migrations;

/// <summary>Why a migration fails: a CamelCase reason (<see cref="FailureReasons"/>) and a message for people.</summary>
internal sealed record FailureCause(string Reason, string Message);
