using System.Reflection;
using NvmeLm.Hardware.Nvme;
using NvmeLm.Hardware.Steps;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

public sealed class CodeWarmUpTests
{
    [Fact]
    public void Methods_Should_CoverTheWindowSteps_When_Listed()
    {
        HashSet<MethodBase> methods = [.. CodeWarmUp.Methods()];

        // The device downtime runs these for the first time on an agent's first migration.
        Assert.Contains(typeof(SuspendStep).GetMethod(nameof(SuspendStep.Run))!, methods);
        Assert.Contains(typeof(SaveStateStep).GetMethod(nameof(SaveStateStep.Run))!, methods);
        Assert.Contains(typeof(RestoreStateStep).GetMethod(nameof(RestoreStateStep.Run))!, methods);
        Assert.Contains(typeof(ResumeStep).GetMethod(nameof(ResumeStep.Run))!, methods);
        Assert.Contains(methods, m => m.DeclaringType == typeof(NvmeAdminClient) && m.Name == nameof(NvmeAdminClient.Resume));
        // Async methods run in their compiler-made state machines: the Secret calls' MoveNext is covered too.
        Assert.Contains(methods, m => m.Name == "MoveNext" && m.DeclaringType?.DeclaringType == typeof(StateSecretStore)
            && m.DeclaringType.Name.Contains(nameof(StateSecretStore.ReadAsync), StringComparison.Ordinal));
        Assert.DoesNotContain(methods, m => m.ContainsGenericParameters || m.IsAbstract);
    }

    [Fact]
    public async Task StartOnce_Should_CompileOncePerProcess_When_CalledByEveryAgent()
    {
        Task<int> first = CodeWarmUp.StartOnce();
        Task<int> second = CodeWarmUp.StartOnce();

        Assert.Same(first, second);
        int compiled = await first;
        // Nearly every listed method compiles ahead (the rest fall back to the JIT on first call).
        Assert.InRange(compiled, CodeWarmUp.Methods().Count() * 9 / 10, CodeWarmUp.Methods().Count());
    }
}
