using System.Reflection;
using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Hardware;
using NvmeLm.Kube;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>What an agent compiles and prepares when it starts (<see cref="Kube.WarmUp.CodeWarmUp"/>): its own code, the hardware layer, the Kubernetes plumbing and the API types; the resources it reads and writes inside the window.</summary>
public static class AgentWarmUp
{
    public static IReadOnlyList<Assembly> Assemblies { get; } =
        [typeof(AgentWarmUp).Assembly, typeof(PciAddress).Assembly, typeof(NamespacedName).Assembly, typeof(V1Alpha1NvmeNode).Assembly];

    public static IReadOnlyList<Type> Resources { get; } = [typeof(V1Alpha1NvmeNode), typeof(V1Secret)];
}
