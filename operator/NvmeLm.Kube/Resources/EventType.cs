namespace NvmeLm.Kube.Resources;

/// <summary>The two values core v1 Event <c>type</c> takes.</summary>
public static class EventType
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
