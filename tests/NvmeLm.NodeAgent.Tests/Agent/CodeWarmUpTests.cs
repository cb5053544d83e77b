using System.Reflection;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Steps;
using NvmeLm.Kube.WarmUp;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

public sealed class CodeWarmUpTests
{
    private static HashSet<MethodBase> AgentMethods() => [.. AgentWarmUp.Assemblies.SelectMany(CodeWarmUp.Methods)];

    [Fact]
    public void Methods_Should_CoverTheWindowSteps_When_Listed()
    {
        HashSet<MethodBase> methods = AgentMethods();

        // The device downtime runs these for the first time on an agent's first migration.
        Assert.Contains(typeof(SuspendStep).GetMethod(nameof(SuspendStep.Run))!, methods);
        Assert.Contains(typeof(SaveStateStep).GetMethod(nameof(SaveStateStep.Run))!, methods);
        Assert.Contains(typeof(RestoreStateStep).GetMethod(nameof(RestoreStateStep.Run))!, methods);
        Assert.Contains(typeof(ResumeStep).GetMethod(nameof(ResumeStep.Run))!, methods);
        Assert.Contains(methods, m => m.DeclaringType == typeof(NvmeAdminClient) && m.Name == nameof(NvmeAdminClient.Resume));
        // Async methods run in their compiler-made state machines: the Secret calls' MoveNext is covered too.
        Assert.Contains(methods, m => m.Name == "MoveNext" && m.DeclaringType?.DeclaringType == typeof(StateSecretStore)
            && m.DeclaringType.Name.Contains(nameof(StateSecretStore.ReadAsync), StringComparison.Ordinal));
        // The API types' accessors, which the serializer calls.
        Assert.Contains(typeof(Api.V1Alpha1.NodeOperationResult).GetProperty(nameof(Api.V1Alpha1.NodeOperationResult.StateSha256))!.SetMethod!, methods);
        Assert.DoesNotContain(methods, m => m.ContainsGenericParameters || m.IsAbstract);
    }

    [Fact]
    public async Task StartOnce_Should_CompileOncePerProcess_When_CalledByEveryAgent()
    {
        Task<int> first = CodeWarmUp.StartOnce(AgentWarmUp.Assemblies, AgentWarmUp.Resources);
        Task<int> second = CodeWarmUp.StartOnce(AgentWarmUp.Assemblies, AgentWarmUp.Resources);

        int compiled = await first;
        Assert.Equal(compiled, await second);
        // Nearly every listed method compiles ahead (the rest fall back to the JIT on first call), and on top of them the
        // async plumbing of the state machines (at least the box's MoveNext for each) and the generic code they
        // instantiate (≈ 5 methods per own method, 2026-12-05); the upper bound catches a walk that runs off into the
        // whole framework.
        int methods = AgentMethods().Count;
        int stateMachines = AgentWarmUp.Assemblies.SelectMany(a => a.GetTypes()).Count(t => typeof(System.Runtime.CompilerServices.IAsyncStateMachine).IsAssignableFrom(t) && !t.ContainsGenericParameters);
        Assert.InRange(compiled, (methods * 9 / 10) + stateMachines, methods * 12);
    }
}
