namespace NvmeLm.Hardware.Journal;

/// <summary>What a secondary controller is reserved for (DESIGN §4, seed step 3).</summary>
public enum VfRole
{
    /// <summary>Enabled and configured by the agent, not reserved for a migration.</summary>
    None,
    /// <summary>Allowed to migrate out (allow-migrate): its state may be suspended and read.</summary>
    MigrationSource,
    /// <summary>Reserved to receive a migrated controller state (allow-resume).</summary>
    ResumeTarget,
}
