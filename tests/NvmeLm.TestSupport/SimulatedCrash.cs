namespace NvmeLm.TestSupport;

/// <summary>
/// A process "dying" at a step boundary, for seams that call back after each step (e.g. <c>AtomicFileWriter</c>'s):
/// <see cref="After{TStep}"/> makes a callback that throws <see cref="SimulatedCrashException"/> after one step.
/// </summary>
public static class SimulatedCrash
{
    /// <param name="onlyTarget">Crash only on this target (e.g. one file of several a command writes); null: on any.</param>
    public static Action<TStep, string> After<TStep>(TStep crashStep, string? onlyTarget = null)
        where TStep : struct, Enum =>
        (step, target) =>
        {
            if (EqualityComparer<TStep>.Default.Equals(step, crashStep) && (onlyTarget is null || onlyTarget == target))
            {
                throw new SimulatedCrashException($"simulated crash after {step} of {target}");
            }
        };
}
