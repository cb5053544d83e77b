using NvmeLm.Hardware.Host;
using NvmeLm.Hardware.Safety;

namespace NvmeLm.Hardware.Tests.Steps;

/// <summary>
/// The fd-link reading against this machine's real <c>/proc</c>: the test process itself holds a file open.
/// Only the own process is read, so the test needs no root (other processes' fd directories need it).
/// </summary>
public sealed class OpenDeviceScannerLinuxTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "nvmelm-held-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void HoldsAny_Should_SeeThisProcessHoldingAFile_When_ReadingRealProcFdLinks()
    {
        var scanner = new OpenDeviceScanner(new LinuxHostFileSystem("/"));
        using (File.Create(_path))
        {
            Assert.True(scanner.HoldsAny(Environment.ProcessId, [_path]));
            Assert.False(scanner.HoldsAny(Environment.ProcessId, [_path + ".other"]));
        }

        Assert.False(scanner.HoldsAny(Environment.ProcessId, [_path]));
    }
}
