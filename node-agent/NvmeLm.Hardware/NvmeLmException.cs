namespace NvmeLm.Hardware;

/// <summary>Root of the hardware layer's errors; every message says what failed and, where known, what to do.</summary>
public abstract class NvmeLmException : Exception
{
    protected NvmeLmException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
