using System.Reflection;
using System.Runtime.CompilerServices;

namespace NvmeLm.Kube.WarmUp;

/// <summary>
/// The runtime's side of an async method: for each compiler-made state machine (a struct in a Release build) the
/// task builder's <c>Start</c> and <c>AwaitUnsafeOnCompleted</c> for each awaiter it stores, and the box that carries
/// the state machine across awaits (<c>AsyncTaskMethodBuilder&lt;TResult&gt;.AsyncStateMachineBox&lt;TStateMachine&gt;</c>,
/// <c>VoidTaskResult</c> for a plain Task) are generic over that struct, so compiling the state machine's MoveNext
/// leaves them to the JIT — on the one-migration demo they were the largest group of methods compiled inside the
/// window. The box and VoidTaskResult are internal to System.Private.CoreLib and found by name: if a runtime renames
/// them, nothing is compiled ahead here (and nothing fails).
/// </summary>
internal static class AsyncPlumbing
{
    private const BindingFlags Declared = CodeWarmUp.Declared;

    private static readonly Type? s_box = typeof(AsyncTaskMethodBuilder<>).GetNestedType("AsyncStateMachineBox`1", BindingFlags.NonPublic);
    private static readonly Type? s_voidResult = typeof(Task).Assembly.GetType("System.Threading.Tasks.VoidTaskResult");

    /// <summary>Compiles the plumbing of every async method in <paramref name="assembly"/>; returns how many methods compiled.</summary>
    public static int Compile(Assembly assembly) =>
        CodeWarmUp.ClosedTypes(assembly)
            .Where(type => typeof(IAsyncStateMachine).IsAssignableFrom(type))
            .Sum(CompileFor);

    /// <summary>Compiles one state machine's plumbing (also for a state machine of a closed generic type, which <see cref="GenericInstantiations"/> finds).</summary>
    internal static int CompileFor(Type stateMachine)
    {
        if (stateMachine.GetField("<>t__builder", Declared)?.FieldType is not { } builder || ResultOf(builder) is not { } result)
        {
            return 0; // a ValueTask or void builder: rare on these paths, left to the JIT
        }

        Type taskBuilder = typeof(AsyncTaskMethodBuilder<>).MakeGenericType(result);
        int compiled = 0;
        if (s_box?.MakeGenericType(result, stateMachine) is { } box)
        {
            RuntimeTypeHandle[] boxArguments = [result.TypeHandle, stateMachine.TypeHandle];
            compiled += box.GetMethods(Declared).Cast<MethodBase>().Concat(box.GetConstructors(Declared))
                .Count(m => !m.IsAbstract && !m.ContainsGenericParameters && CodeWarmUp.TryPrepare(m, boxArguments));
        }

        // The awaiters this state machine stores in its fields (one per awaited type).
        Type[] awaiters = stateMachine.GetFields(Declared).Where(f => f.Name.StartsWith("<>u__", StringComparison.Ordinal)).Select(f => f.FieldType).Distinct().ToArray();
        foreach (MethodInfo method in new[] { builder, taskBuilder }.Distinct().SelectMany(b => b.GetMethods(Declared)).Where(m => m.IsGenericMethodDefinition))
        {
            Type[][] instantiations = method.GetGenericArguments().Length switch
            {
                1 => [[stateMachine]],
                2 => awaiters.Select(a => new[] { a, stateMachine }).ToArray(),
                _ => [],
            };
            foreach (Type[] arguments in instantiations)
            {
                if (TryClose(method, arguments) is { } closed)
                {
                    RuntimeTypeHandle[] handles = [.. closed.DeclaringType!.GetGenericArguments().Concat(arguments).Select(t => t.TypeHandle)];
                    compiled += CodeWarmUp.TryPrepare(closed, handles) ? 1 : 0;
                }
            }
        }

        return compiled;
    }

    /// <summary>The TResult of a Task-returning method's builder (VoidTaskResult for a plain Task); null for other builders.</summary>
    private static Type? ResultOf(Type builder) =>
        builder == typeof(AsyncTaskMethodBuilder) ? s_voidResult
        : builder.IsGenericType && builder.GetGenericTypeDefinition() == typeof(AsyncTaskMethodBuilder<>) ? builder.GetGenericArguments()[0]
        : null;

    private static MethodInfo? TryClose(MethodInfo method, Type[] arguments)
    {
        try
        {
            return method.MakeGenericMethod(arguments);
        }
        catch (ArgumentException)
        {
            return null; // a constraint the arguments do not meet (e.g. an awaiter of another kind)
        }
    }
}
