using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Emulated;

/// <summary>An open <c>/dev/nvmeN</c> of the emulated host; commands go through the host's lock, faults and write log.</summary>
internal sealed class EmulatedNvmeDevice : INvmeAdminDevice
{
    private readonly EmulatedHost _host;
    private readonly EmulatedPciFunction _function;
    private bool _disposed;

    public EmulatedNvmeDevice(EmulatedHost host, string devicePath, EmulatedPciFunction function)
    {
        _host = host;
        DevicePath = devicePath;
        _function = function;
    }

    public string DevicePath { get; }

    public NvmeRawCompletion Submit(ReadOnlySpan<byte> submissionEntry, Span<byte> data, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _host.Submit(DevicePath, _function, submissionEntry, data, timeout);
    }

    public void Dispose() => _disposed = true;
}
