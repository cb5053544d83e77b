using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Nvme.Structures;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Asks the controller whether a secondary is suspended, so suspend/resume are planned from hardware truth:
/// a Get Controller State of just the 48-byte header reports it in completion DW0 bit 0 (CSUP) and in the
/// header's CSATTR bit 0 (reference §4a); a controller that refuses with Controller Not Suspended answers too.
/// It is a read: it changes nothing.
/// </summary>
internal static class SuspendProbe
{
    public static bool IsSuspended(NvmeAdminClient client, ushort scid)
    {
        try
        {
            ControllerStateRead read = client.GetControllerStateChunk(scid, 0, ControllerStateHeaderLayout.Size);
            return read.ControllerSuspended || ControllerStateHeader.Parse(read.Data).ControllerSuspended;
        }
        catch (NvmeCommandException ex) when (ex.Code == NvmeStatusCode.ControllerNotSuspended)
        {
            return false;
        }
    }
}
