using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace NvmeLm.Kube.WarmUp;

/// <summary>
/// Does ahead, on a background thread when a process starts, what its first migration would otherwise do for the
/// first time inside the device downtime (issue 12): compile its own code — the methods of the given assemblies, the
/// async plumbing of their state machines (<see cref="AsyncPlumbing"/>), the generic code they instantiate
/// (<see cref="GenericInstantiations"/>) — and build the JSON serializer's metadata of
/// the resources it reads and writes (<see cref="SerializerWarmUp"/>). Each assembly and each resource type once per
/// process (the demo runs a hundred agents and the operator in one). Open generic methods and methods of open generic
/// types are left to the JIT: their instantiations are only known where they are used.
/// Measured on the one-migration demo (JIT build, 2 cores): the agent's own methods alone, downtime 58–63 → 43–49 ms
/// (fifth session of 2026-12-04); the rest in the operator README.
/// </summary>
public static class CodeWarmUp
{
    internal const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly ConcurrentDictionary<Assembly, Lazy<Task<int>>> s_assemblies = new();
    private static readonly ConcurrentDictionary<Type, Lazy<Task>> s_resources = new();

    /// <summary>The virtual methods <see cref="TryPrepare"/> compiled in this thread's current <see cref="Compile"/> (see there).</summary>
    [ThreadStatic]
    private static List<(MethodBase Method, RuntimeTypeHandle[]? Instantiation)>? t_virtuals;

    /// <summary>
    /// Starts what is not started yet; completes when all of it is done. Its result: the methods compiled ahead for
    /// <paramref name="assemblies"/> (their methods, async plumbing and generic instantiations), whichever call started them.
    /// </summary>
    public static async Task<int> StartOnce(IEnumerable<Assembly> assemblies, IEnumerable<Type> resources)
    {
        Task<int>[] compiles = assemblies
            .Select(a => s_assemblies.GetOrAdd(a, static a => new Lazy<Task<int>>(() => Task.Run(() => Compile(a)))).Value)
            .ToArray();
        Task[] serializers = resources
            .Select(t => s_resources.GetOrAdd(t, static t => new Lazy<Task>(() => Task.Run(() => SerializerWarmUp.RoundTrip(t)))).Value)
            .ToArray();
        int[] compiled = await Task.WhenAll(compiles).ConfigureAwait(false);
        await Task.WhenAll(serializers).ConfigureAwait(false);
        return compiled.Sum();
    }

    /// <summary>
    /// Completes when everything started so far (by any caller of <see cref="StartOnce"/>) is done: for a process that
    /// stands in for long-running ones (the simulated cluster), so that its measurements see them warm.
    /// </summary>
    public static Task AllStarted() =>
        Task.WhenAll(s_assemblies.Values.Select(l => (Task)l.Value).Concat(s_resources.Values.Select(l => l.Value)));

    /// <summary>The methods and constructors with a body in <paramref name="assembly"/> (nested types, such as async state machines, included).</summary>
    public static IEnumerable<MethodBase> Methods(Assembly assembly) =>
        ClosedTypes(assembly)
            .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            .Where(method => !method.IsAbstract && !method.ContainsGenericParameters && method.GetMethodBody() is not null);

    internal static IEnumerable<Type> ClosedTypes(Assembly assembly) => assembly.GetTypes().Where(type => !type.ContainsGenericParameters);

    /// <summary>Compiles <paramref name="method"/> now; false when the runtime cannot (then the JIT compiles it on its first call, as without the warm-up).</summary>
    internal static bool TryPrepare(MethodBase method, RuntimeTypeHandle[]? instantiation = null)
    {
        try
        {
            if (instantiation is null)
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
            else
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation);
            }

            if (method.IsVirtual)
            {
                t_virtuals?.Add((method, instantiation));
            }

            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TypeLoadException or BadImageFormatException
            or MissingMethodException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Our methods, their async plumbing and the generic code they instantiate; then the virtual ones once more.
    /// Measured with the runtime's JIT events (WarmUpJitTests): a virtual method — an async state machine box's
    /// <c>MoveNext</c>, an interface implementation — that the warm-up prepared once was still compiled again at its
    /// first call through its slot; prepared a second time after the rest of the pass, it is not.
    /// </summary>
    private static int Compile(Assembly assembly)
    {
        t_virtuals = [];
        try
        {
            List<MethodBase> methods = [.. Methods(assembly)];
            int compiled = methods.Count(method => TryPrepare(method)) + AsyncPlumbing.Compile(assembly) + GenericInstantiations.Compile(methods);
            List<(MethodBase Method, RuntimeTypeHandle[]? Instantiation)> virtuals = t_virtuals;
            t_virtuals = null;
            foreach (var (method, instantiation) in virtuals)
            {
                TryPrepare(method, instantiation);
            }

            return compiled;
        }
        finally
        {
            t_virtuals = null;
        }
    }
}
