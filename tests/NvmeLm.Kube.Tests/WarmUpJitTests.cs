using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Reflection.Emit;
using NvmeLm.Kube.WarmUp;
using NvmeLm.TestSupport;

namespace NvmeLm.Kube.Tests;

/// <summary>
/// What the warm-up compiles is not compiled again at the first call: checked with the runtime's own JIT events
/// (MethodLoadVerbose) on code of this assembly that nothing but this test calls, all of it generic framework code
/// instantiated over this assembly's types (the part <see cref="CodeWarmUp"/> finds by reading the IL).
/// </summary>
public sealed class WarmUpJitTests
{
    [Fact]
    public async Task StartOnce_Should_LeaveTheGenericCodeOurMethodsInstantiateToNoJit_When_ItRunsTheFirstTime()
    {
        await CodeWarmUp.StartOnce([typeof(WarmUpJitTests).Assembly], []);
        using var jit = new JitRecorder();

        int found = WarmUpSubject.Lookup(3);
        int sum = WarmUpSubject.SumAll();
        string later = await new WarmUpGenericSubject<WarmUpSubjectKey>().DescribeLaterAsync(new WarmUpSubjectKey(7));
        await jit.FlushAsync();

        Assert.Equal((30, 3, "WarmUpSubjectKey { Id = 7 }"), (found, sum, later));
        // Dictionary<WarmUpSubjectKey, int> (direct calls), its enumerator's Dispose (a constrained call), the default
        // comparer the dictionary asks for, and the state machine of an async method of a generic type.
        Assert.DoesNotContain(jit.Compiled, name => name.Contains(nameof(WarmUpSubjectKey), StringComparison.Ordinal));
    }

    [Fact]
    public void Callees_Should_NameTheStructsOwnMethod_When_ACallIsConstrained()
    {
        var callees = GenericInstantiations.Callees(typeof(WarmUpSubject).GetMethod(nameof(WarmUpSubject.SumAll))!)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.Contains("Enumerator.Dispose", callees); // not IDisposable.Dispose
        Assert.Contains("Enumerator.MoveNext", callees);
    }

    /// <summary>Records the methods the JIT compiles while it lives.</summary>
    private sealed class JitRecorder : EventListener
    {
        private const EventKeywords JitKeyword = (EventKeywords)0x10;
        private readonly ConcurrentQueue<string> _compiled = new();

        public IReadOnlyCollection<string> Compiled => _compiled;

        /// <summary>Runtime events reach a listener late: compiles a marker and waits until its event has come.</summary>
        public async Task FlushAsync()
        {
            string marker = "WarmUpMarker" + Guid.NewGuid().ToString("N");
            var method = new DynamicMethod(marker, typeof(int), []);
            ILGenerator il = method.GetILGenerator();
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Ret);
            ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
            await Eventually.TrueAsync(() => _compiled.Any(c => c.Contains(marker, StringComparison.Ordinal)), "the JIT event of the marker method");
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                _compiled.Enqueue($"{eventData.Payload![names.IndexOf("MethodNamespace")]}::{eventData.Payload[names.IndexOf("MethodName")]}");
            }
        }
    }
}

/// <summary>Code only <see cref="WarmUpJitTests"/> calls: generic framework code over a struct of this assembly.</summary>
internal static class WarmUpSubject
{
    public static int Lookup(int key)
    {
        var values = new Dictionary<WarmUpSubjectKey, int> { [new WarmUpSubjectKey(key)] = 10 * key };
        return values.TryGetValue(new WarmUpSubjectKey(key), out int value) ? value : 0;
    }

    public static int SumAll()
    {
        var values = new Dictionary<WarmUpSubjectKey, int> { [new WarmUpSubjectKey(1)] = 1, [new WarmUpSubjectKey(2)] = 2 };
        int sum = 0;
        foreach (KeyValuePair<WarmUpSubjectKey, int> pair in values)
        {
            sum += pair.Value;
        }

        return sum;
    }
}

/// <summary>An async method of a generic type, as <c>ResourceClient&lt;T&gt;</c> has them.</summary>
internal sealed class WarmUpGenericSubject<T>
{
    public async Task<string> DescribeLaterAsync(T value)
    {
        // Resumed inline by the thread that completes the awaited task, through the box's MoveNext() (an interface call):
        // the path of the awaits inside a migration's window (an API call's response).
        var completed = new TaskCompletionSource();
        ThreadPool.QueueUserWorkItem(_ => completed.SetResult());
        await completed.Task;
        return value!.ToString()!;
    }
}

internal readonly record struct WarmUpSubjectKey(int Id);
