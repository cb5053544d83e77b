using NvmeLm.Kube;
using NvmeLm.Kube.Informers;

namespace NvmeLm.Operator.KubeVirt;

/// <summary>
/// What the operator knows of KubeVirt: whether its API is served (checked once at start), and the VMI cache when
/// it is. Without KubeVirt the operator runs as before and a migration naming a VMI fails with a clear reason.
/// </summary>
public sealed class KubeVirtView
{
    private ObjectCache<VirtualMachineInstance>? _vmis;

    /// <summary>A view of a cluster without KubeVirt (never installed into).</summary>
    public static KubeVirtView Absent { get; } = new();

    public bool Installed => Volatile.Read(ref _vmis) is not null;

    /// <summary>Set once, at start, before any controller runs: KubeVirt is served and this cache is synced.</summary>
    public void Install(ObjectCache<VirtualMachineInstance> vmis)
    {
        if (ReferenceEquals(this, Absent))
        {
            throw new InvalidOperationException("KubeVirtView.Absent stays absent.");
        }

        Volatile.Write(ref _vmis, vmis);
    }

    public VirtualMachineInstance? GetVmi(string ns, string name) => _vmis?.Get(new NamespacedName(ns, name));
}
