namespace NvmeLm.Hardware.Journal;

/// <summary>
/// The furthest step the agent completed for one secondary controller. Ordered: a larger value means
/// later in the flow, so a restarted agent knows where to continue (DESIGN §4 seed steps 1–6).
/// </summary>
public enum VfProgress
{
    None = 0,
    ResourcesAssigned = 1,
    Online = 2,
    Allowed = 3,
    Bound = 4,
    Suspended = 5,
    StateSaved = 6,
    StateRestored = 7,
    Resumed = 8,
}
