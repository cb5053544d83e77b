namespace NvmeLm.Hardware.Emulated;

/// <summary>The emulated host's configuration (or its saved state) is unreadable or inconsistent; the message names the field.</summary>
public sealed class EmulatedConfigException : NvmeLmException
{
    public EmulatedConfigException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
