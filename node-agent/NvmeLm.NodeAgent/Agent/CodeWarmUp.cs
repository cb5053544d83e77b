using System.Reflection;
using System.Runtime.CompilerServices;
using NvmeLm.Hardware;
using NvmeLm.Kube;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Compiles the agent's own code (this assembly, NvmeLm.Hardware and NvmeLm.Kube) once per process, on a background
/// thread when the agent starts, so that its first migration does not pay the JIT inside the device downtime (issue 12:
/// the steps, the admin client, the journals and the Secret calls of Suspend … Resume all run for the first time there).
/// Measured on the one-migration demo (JIT build, 2 cores, 4 runs each): downtime 58–63 ms without, 43–49 ms with; the
/// compile takes ≈ 0.37 s of one core for ≈ 5,000 methods, once per process. Open generic methods and methods of open
/// generic types are left to the JIT: their instantiations are only known where they are used.
/// </summary>
public static class CodeWarmUp
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Lazy<Task<int>> s_once = new(() => Task.Run(CompileAll), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Starts the compile the first time it is called; every call returns the same task (its result: methods compiled).</summary>
    public static Task<int> StartOnce() => s_once.Value;

    /// <summary>The methods and constructors with a body in the agent's assemblies (nested types, such as async state machines, included).</summary>
    internal static IEnumerable<MethodBase> Methods() =>
        new[] { typeof(CodeWarmUp).Assembly, typeof(PciAddress).Assembly, typeof(NamespacedName).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => !type.ContainsGenericParameters)
            .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            .Where(method => !method.IsAbstract && !method.ContainsGenericParameters && method.GetMethodBody() is not null);

    private static int CompileAll()
    {
        int compiled = 0;
        foreach (MethodBase method in Methods())
        {
            try
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
                compiled++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TypeLoadException or BadImageFormatException or MissingMethodException)
            {
                // A method the runtime cannot prepare ahead is compiled on its first call, as without the warm-up.
            }
        }

        return compiled;
    }
}
