using NvmeLm.ApiServer.Cel;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Admission;

/// <summary>The stored ValidatingAdmissionPolicies, compiled, each with the bindings that name it (policies nobody binds do nothing).</summary>
public sealed class AdmissionPolicySet
{
    public const string Group = "admissionregistration.k8s.io";

    public static readonly StorageKey Policies = new(Group, "validatingadmissionpolicies");
    public static readonly StorageKey Bindings = new(Group, "validatingadmissionpolicybindings");

    private AdmissionPolicySet(IReadOnlyList<BoundPolicy> bound) => Bound = bound;

    public IReadOnlyList<BoundPolicy> Bound { get; }

    public static AdmissionPolicySet Read(ObjectStore store, KubeCelEnvironment cel)
    {
        var bindings = store.List(Bindings, null).Items.Select(CompiledBinding.Read)
            .GroupBy(b => b.PolicyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CompiledBinding>)g.ToList(), StringComparer.Ordinal);
        var bound = store.List(Policies, null).Items
            .Where(p => bindings.ContainsKey(p["metadata"]?["name"]?.GetValue<string>() ?? ""))
            .Select(p => CompiledPolicy.Read(p, cel))
            .Select(p => new BoundPolicy(p, bindings[p.Name]))
            .ToList();
        return new AdmissionPolicySet(bound);
    }

    public sealed record BoundPolicy(CompiledPolicy Policy, IReadOnlyList<CompiledBinding> Bindings);
}
