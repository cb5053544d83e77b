using NvmeLm.Hardware.Nvme;

namespace NvmeLm.Hardware.Tests.Nvme;

/// <summary>
/// A test double at the SQE level: records every submitted entry and its data, and answers with a handler.
/// It stands in for a controller only where the test states the controller's answer explicitly.
/// </summary>
internal sealed class ScriptedAdminDevice : INvmeAdminDevice
{
    private readonly Func<byte[], byte[], NvmeRawCompletion> _handler;

    public ScriptedAdminDevice(Func<byte[], byte[], NvmeRawCompletion> handler) => _handler = handler;

    public string DevicePath => "/dev/nvme9";

    public List<(byte[] Entry, byte[] DataSent)> Submitted { get; } = new();

    public NvmeRawCompletion Submit(ReadOnlySpan<byte> submissionEntry, Span<byte> data, TimeSpan timeout)
    {
        var entry = submissionEntry.ToArray();
        var buffer = data.ToArray();
        Submitted.Add((entry, buffer.ToArray()));
        var completion = _handler(entry, buffer);
        buffer.CopyTo(data);
        return completion;
    }

    public void Dispose()
    {
    }
}
