using System.Runtime.InteropServices;
using Tmds.Linux;

namespace NvmeLm.Hardware.Interop;

/// <summary>Owns one Linux file descriptor and closes it exactly once (Tmds.DBus <c>CloseSafeHandle</c> style).</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    public FileDescriptorHandle(int fd)
        : this()
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>Runs <paramref name="call"/> with the raw fd while holding a reference, so a concurrent Dispose cannot close it mid-call.</summary>
    public T Use<T>(Func<int, T> call)
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            return call(handle.ToInt32());
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle() => LibC.close(handle.ToInt32()) == 0;
}
