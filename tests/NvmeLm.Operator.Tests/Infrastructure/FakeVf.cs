using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Tests.Infrastructure;

/// <summary>The fake hardware state of one secondary controller (VF).</summary>
public sealed class FakeVf
{
    public required int VfNumber { get; init; }

    public required string Address { get; init; }

    public bool Online { get; set; }

    public int Queues { get; set; }

    public int Interrupts { get; set; }

    public string? Driver { get; set; }

    public SecondaryRole Role { get; set; } = SecondaryRole.Pool;

    public string? OwnerUid { get; set; }

    public bool Suspended { get; set; }

    /// <summary>The pod the kubelet allocated the VF to (a VM runs there), as the real agent learns from PodResources.</summary>
    public string? AllocatedToPod { get; set; }

    /// <summary>State was written by RestoreState and not yet resumed.</summary>
    public bool Restored { get; set; }

    /// <summary>The controller state: what a VM's device state would be; SaveState copies it out, RestoreState in.</summary>
    public byte[] State { get; set; } = NewState();

    public static byte[] NewState()
    {
        var bytes = new byte[2048];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
