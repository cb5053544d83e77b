namespace NvmeLm.NodeAgent.Agent;

/// <summary>Moving a controller state through its Secret failed for a reason retrying will not fix; <see cref="Reason"/> is the result reason.</summary>
public sealed class StateTransferException : Exception
{
    public const string SecretNotFound = "SecretNotFound";
    public const string StateMissing = "StateMissing";
    public const string TooLarge = "StateTooLarge";

    public StateTransferException(string reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
