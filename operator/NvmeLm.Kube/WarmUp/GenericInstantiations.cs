using System.Reflection;
using System.Reflection.Emit;

namespace NvmeLm.Kube.WarmUp;

/// <summary>
/// The generic code our methods call, compiled as they instantiate it: <c>Dictionary&lt;ObjectName, …&gt;</c>,
/// <c>Nullable&lt;ResolvedVf&gt;</c>, a LINQ operator over a struct, a source-generated JSON converter of an enum. Compiling
/// our own methods (<see cref="CodeWarmUp"/>) leaves these to the JIT at their first call, and the framework's
/// ReadyToRun code has no instantiation over our types: on the one-migration demo ≈ 170 of them were still compiled
/// inside the device downtime (≈ 34 ms of JIT on the two cores, measured with the runtime's JIT events). Found by
/// reading each method's IL for the methods it calls, creates or takes the address of (<c>call</c>, <c>callvirt</c>,
/// <c>newobj</c>, <c>ldftn</c>, <c>ldvirtftn</c>) that resolve to a closed generic method or a method of a closed
/// generic type, then the same in those methods' IL, <see cref="Depth"/> calls deep. Four targets the IL names only
/// indirectly are followed too: a <c>constrained.</c> call on a struct (a <c>foreach</c>'s <c>Dispose</c>, a tuple's
/// <c>GetHashCode</c>) is the struct's own method; <c>EqualityComparer&lt;T&gt;.Default</c> and
/// <c>Comparer&lt;T&gt;.Default</c> are the comparers the runtime makes for T (a dictionary key, a sort key); an async
/// method of a generic type runs its state machine and the builder's plumbing for it (<see cref="AsyncPlumbing"/>); and
/// a closed generic type instantiated over a value type is compiled whole the first time it is met, since what our
/// code reaches through an interface or a virtual call (a dictionary enumerated as <c>IEnumerable</c>, a LINQ
/// iterator's <c>ToList</c>) is most often another method of a type it also calls directly. Left to the JIT: other
/// virtual targets, and instantiations over reference types only (their shared code is in the framework's images).
/// Cost (Release demo, 2 cores): ≈ 60,000 methods for the API server, operator, agent and libraries, ≈ 4 s of CPU on
/// background threads at start and ≈ 50 MB more peak working set; inside the window ≈ 25 methods were left to the JIT
/// (≈ 3 ms).
/// </summary>
internal static class GenericInstantiations
{
    /// <summary>How many calls deep into generic code the walk follows (the framework's own callees are mostly ReadyToRun).</summary>
    internal const int Depth = 3;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .DistinctBy(o => o.Value)
        .ToDictionary(o => o.Value);

    /// <summary>Compiles the generic instantiations reachable from <paramref name="methods"/>; returns how many compiled.</summary>
    public static int Compile(IEnumerable<MethodBase> methods)
    {
        var seen = new HashSet<MethodBase>();
        var types = new HashSet<Type>();
        var pending = new Queue<(MethodBase Method, int Depth)>(methods.Select(m => (m, 0)));
        int compiled = 0;
        while (pending.TryDequeue(out var next))
        {
            foreach (MethodBase callee in Callees(next.Method).SelectMany(Reached).SelectMany(c => WholeType(c, types)))
            {
                if (!IsClosedGeneric(callee) || !seen.Add(callee) || !CodeWarmUp.TryPrepare(callee, InstantiationOf(callee)))
                {
                    continue;
                }

                compiled++;
                List<MethodBase> reached = [callee];
                if (AsyncStateMachineOf(callee) is { } stateMachine)
                {
                    // The async method's body is its state machine's MoveNext: walked like the method itself.
                    List<MethodBase> machine = StateMachine(stateMachine, seen);
                    compiled += machine.Count + AsyncPlumbing.CompileFor(stateMachine);
                    reached.AddRange(machine);
                }

                if (next.Depth + 1 < Depth)
                {
                    reached.ForEach(method => pending.Enqueue((method, next.Depth + 1)));
                }
            }
        }

        return compiled;
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls, creates or takes the address of, resolved in its instantiation.</summary>
    internal static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or BadImageFormatException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        Type? constrained = null;
        for (int offset = 0; offset < il.Length;)
        {
            short value = il[offset] == 0xFE && offset + 1 < il.Length ? (short)(0xFE00 | il[offset + 1]) : il[offset];
            if (!s_opCodes.TryGetValue(value, out OpCode opCode))
            {
                yield break; // not IL this reader knows: stop rather than misread the rest
            }

            offset += opCode.Size;
            if (opCode.OperandType == OperandType.InlineMethod && offset + 4 <= il.Length
                && Resolve(method.Module, BitConverter.ToInt32(il, offset), typeArguments, methodArguments) is { } callee)
            {
                yield return constrained is { IsValueType: true } && ImplementationOn(constrained, callee) is { } own ? own : callee;
            }

            constrained = opCode == OpCodes.Constrained && offset + 4 <= il.Length
                ? ResolveType(method.Module, BitConverter.ToInt32(il, offset), typeArguments, methodArguments)
                : null;
            offset += OperandSize(opCode.OperandType, il, offset);
        }
    }

    /// <summary>
    /// The callee, and the first time a closed generic type is met every other method it declares: what our code reaches
    /// through an interface or a virtual call is most often another method of a type whose methods it also calls (a
    /// dictionary enumerated through <c>IEnumerable</c>, a LINQ iterator's <c>ToList</c>).
    /// </summary>
    private static IEnumerable<MethodBase> WholeType(MethodBase callee, HashSet<Type> types)
    {
        yield return callee;
        if (callee.DeclaringType is { IsConstructedGenericType: true } type && HasValueTypeArgument(type) && types.Add(type))
        {
            foreach (MethodBase method in type.GetMethods(CodeWarmUp.Declared).Cast<MethodBase>().Concat(type.GetConstructors(CodeWarmUp.Declared)))
            {
                yield return method;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="type"/> is instantiated over a value type somewhere: such code is not shared with the
    /// instantiations over reference types that the framework's ReadyToRun images already carry.
    /// </summary>
    private static bool HasValueTypeArgument(Type type) =>
        type.GetGenericArguments().Any(a => a.IsValueType || (a.IsConstructedGenericType && HasValueTypeArgument(a)));

    /// <summary>What a call to <paramref name="callee"/> reaches beyond itself: the comparer a <c>Default</c> getter returns.</summary>
    private static IEnumerable<MethodBase> Reached(MethodBase callee)
    {
        yield return callee;
        if (callee is MethodInfo { Name: "get_Default", IsStatic: true } getter && getter.DeclaringType is { IsConstructedGenericType: true } comparer
            && comparer.GetGenericTypeDefinition() is var definition && (definition == typeof(EqualityComparer<>) || definition == typeof(Comparer<>))
            && !comparer.ContainsGenericParameters)
        {
            // The runtime picks the comparer's class for T when the property is first read (reading it has no other effect).
            Type? made = null;
            try
            {
                made = getter.Invoke(null, null)?.GetType();
            }
            catch (TargetInvocationException)
            {
                // No default comparer for T: nothing to compile.
            }

            foreach (MethodBase method in made?.GetMethods(CodeWarmUp.Declared).Cast<MethodBase>() ?? [])
            {
                yield return method;
            }
        }
    }

    /// <summary>The method of value type <paramref name="type"/> that a <c>constrained.</c> call to <paramref name="callee"/> runs, if it has its own.</summary>
    private static MethodBase? ImplementationOn(Type type, MethodBase callee)
    {
        try
        {
            if (callee.DeclaringType is { IsInterface: true } contract && callee is MethodInfo target)
            {
                InterfaceMapping map = type.GetInterfaceMap(contract);
                int index = Array.IndexOf(map.InterfaceMethods, target);
                return index >= 0 && map.TargetMethods[index].DeclaringType == type ? map.TargetMethods[index] : null;
            }

            // An override of an object method (GetHashCode, Equals, ToString) declared by the struct itself.
            return type.GetMethod(callee.Name, CodeWarmUp.Declared & ~BindingFlags.Static, [.. callee.GetParameters().Select(p => p.ParameterType)]);
        }
        catch (Exception ex) when (ex is ArgumentException or AmbiguousMatchException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The compiler-made state machine of an async <paramref name="method"/> of a closed generic type, closed the same way.</summary>
    private static Type? AsyncStateMachineOf(MethodBase method)
    {
        if (method.GetCustomAttribute<System.Runtime.CompilerServices.AsyncStateMachineAttribute>()?.StateMachineType is not { IsGenericTypeDefinition: true } open)
        {
            return null;
        }

        Type[] arguments = [.. (method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : []), .. (method.IsGenericMethod ? method.GetGenericArguments() : [])];
        try
        {
            return open.GetGenericArguments().Length == arguments.Length ? open.MakeGenericType(arguments) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Compiles a closed generic state machine's methods; returns them.</summary>
    private static List<MethodBase> StateMachine(Type stateMachine, HashSet<MethodBase> seen)
    {
        RuntimeTypeHandle[] arguments = [.. stateMachine.GetGenericArguments().Select(t => t.TypeHandle)];
        return [.. stateMachine.GetMethods(CodeWarmUp.Declared).Where(m => !m.IsAbstract && seen.Add(m) && CodeWarmUp.TryPrepare(m, arguments))];
    }

    private static Type? ResolveType(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveType(token, typeArguments, methodArguments);
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException or FileLoadException)
        {
            return null;
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or MissingMethodException or TypeLoadException
            or FileNotFoundException or FileLoadException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsClosedGeneric(MethodBase method) =>
        (method.IsGenericMethod || method.DeclaringType is { IsConstructedGenericType: true })
        && !method.IsAbstract && !method.ContainsGenericParameters && method.DeclaringType is { ContainsGenericParameters: false };

    /// <summary>The declaring type's type arguments, then the method's (as <c>RuntimeHelpers.PrepareMethod</c> takes them).</summary>
    private static RuntimeTypeHandle[] InstantiationOf(MethodBase method) =>
        [.. (method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : [])
            .Concat(method.IsGenericMethod ? method.GetGenericArguments() : [])
            .Select(t => t.TypeHandle)];

    private static int OperandSize(OperandType operand, byte[] il, int offset) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => offset + 4 <= il.Length ? 4 + (4 * BitConverter.ToInt32(il, offset)) : il.Length,
        _ => 4,
    };
}
