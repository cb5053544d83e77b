namespace NvmeLm.TestSupport;

/// <summary>
/// What a power cut can do to a file write that was not yet fsynced: keep only part of it (fsync(2) is what makes the
/// written pages durable; before it the disk may hold any mix of old and new blocks).
/// </summary>
public static class SimulatedPowerCut
{
    /// <summary>Keeps the first half of <paramref name="file"/>, as if the rest of the write never reached the disk.</summary>
    public static void Tear(string file)
    {
        byte[] written = File.ReadAllBytes(file);
        File.WriteAllBytes(file, written[..(written.Length / 2)]);
    }

    /// <summary>
    /// A seam for <c>SlottedFileWriter</c>-style writers: crashes after <paramref name="crashStep"/> and tears the file
    /// that step had written, as a power cut right there could.
    /// </summary>
    public static Action<TStep, string> TearAfter<TStep>(TStep crashStep)
        where TStep : struct, Enum =>
        (step, target) =>
        {
            if (EqualityComparer<TStep>.Default.Equals(step, crashStep))
            {
                Tear(target);
                throw new SimulatedCrashException($"simulated power cut after {step} of {target}");
            }
        };
}
