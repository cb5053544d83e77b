using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Bench;

/// <summary>
/// N clients × M objects against an in-process server: each client creates its objects, then updates
/// each one (a spec patch and a status patch), while one cluster-wide watch measures how long each write
/// takes to show up as a watch event (from just before the request is sent). Reports requests/s,
/// write-to-watch latency percentiles and the memory the stored objects take. With access control on, RBAC
/// and an admission policy (<see cref="BenchAccessControl"/>) are enforced on every request.
/// </summary>
public sealed class ApiBenchmark
{
    private const string Group = "bench.nvmelm.io";
    private const string Version = "v1";
    private const string Plural = "benchitems";

    private readonly int _clients;
    private readonly int _objectsPerClient;
    private readonly bool _accessControl;

    public ApiBenchmark(int clients, int objectsPerClient, bool accessControl = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(objectsPerClient);
        _clients = clients;
        _objectsPerClient = objectsPerClient;
        _accessControl = accessControl;
    }

    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        var (coldStart, warmStart, warmStop) = await MeasureStartStopAsync(cancellationToken);
        long baselineBytes = ManagedBytes();
        await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            WatchHistoryPerResource = 1000,
            Authorization = _accessControl ? Authorization.AuthorizationMode.Rbac : Authorization.AuthorizationMode.AlwaysAllow,
            ValidatingAdmissionPolicy = _accessControl,
        }, cancellationToken);
        using var admin = server.CreateClient();
        await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(CrdJson), cancellationToken: cancellationToken);
        if (_accessControl)
        {
            await BenchAccessControl.ApplyAsync(admin, Group, Plural, _clients, cancellationToken);
        }

        var sent = new ConcurrentDictionary<(string Name, int Step), long>();
        var latencies = new ConcurrentBag<double>();
        int expectedEvents = _clients * _objectsPerClient * 3;
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int seen = 0;
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchTask = Task.Run(async () =>
        {
            using var watcher = server.CreateClient("bench-watcher");
            var stream = watcher.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, "default", Plural, cancellationToken: watchStop.Token);
            await foreach (var (type, raw) in stream)
            {
                long now = Stopwatch.GetTimestamp();
                var item = KubernetesJson.Deserialize<BenchItem>(((System.Text.Json.JsonElement)raw).GetRawText());
                int step = item.Status?.Observed is > 0 ? 2 : item.Spec?.Step ?? 0;
                if (sent.TryRemove((item.Metadata.Name, step), out long started))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started, now).TotalMilliseconds);
                }
                if (type != WatchEventType.Bookmark && Interlocked.Increment(ref seen) == expectedEvents)
                {
                    allSeen.TrySetResult();
                }
            }
        }, watchStop.Token);

        // Let the watch connect before the writes start.
        await Task.Delay(200, cancellationToken);
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.WhenAll(Enumerable.Range(0, _clients).Select(c => Task.Run(() => RunClientAsync(server, c, sent, cancellationToken), cancellationToken)));
        double writeSeconds = clock.Elapsed.TotalSeconds;
        // CPU time, unlike requests/s, barely depends on what else the machine runs: it compares configurations on a busy host.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await allSeen.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        double allEventsSeconds = clock.Elapsed.TotalSeconds;
        await watchStop.CancelAsync();
        try
        {
            await watchTask;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // The watch ends with the cancellation.
        }

        long storedBytes = ManagedBytes() - baselineBytes;
        var sorted = latencies.Order().ToArray();
        long requests = server.Audit.Snapshot().Count(r => r.Resource == Plural && r.Verb is "create" or "patch");
        return new BenchResult(
            _clients, _objectsPerClient, server.Store.Count, requests, writeSeconds, allEventsSeconds,
            requests / writeSeconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length,
            storedBytes, Process.GetCurrentProcess().WorkingSet64)
        {
            CpuMicrosecondsPerRequest = cpu.TotalMicroseconds / requests,
            ColdStartMs = coldStart,
            WarmStartMs = warmStart,
            WarmStopMs = warmStop,
        };
    }

    /// <summary>Start/stop of an empty server: the first (cold: JIT, Kestrel) and the third (warm).</summary>
    private static async Task<(double ColdStart, double WarmStart, double WarmStop)> MeasureStartStopAsync(CancellationToken cancellationToken)
    {
        double cold = 0, warmStart = 0, warmStop = 0;
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var server = await EmbeddedApiServer.StartAsync(cancellationToken: cancellationToken);
            double started = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await server.DisposeAsync();
            double stopped = clock.Elapsed.TotalMilliseconds;
            if (i == 0)
            {
                cold = started;
            }
            (warmStart, warmStop) = (started, stopped);
        }
        return (cold, warmStart, warmStop);
    }

    private async Task RunClientAsync(EmbeddedApiServer server, int clientIndex, ConcurrentDictionary<(string, int), long> sent, CancellationToken cancellationToken)
    {
        using var client = server.CreateClient($"bench-client-{clientIndex}");
        for (int i = 0; i < _objectsPerClient; i++)
        {
            string name = $"item-{clientIndex}-{i}";
            var item = new JsonObject
            {
                ["apiVersion"] = $"{Group}/{Version}",
                ["kind"] = "BenchItem",
                ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["client"] = $"c{clientIndex}" } },
                ["spec"] = new JsonObject { ["step"] = 0, ["payload"] = new string('x', 200) },
            };
            sent[(name, 0)] = Stopwatch.GetTimestamp();
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(item, Group, Version, "default", Plural, cancellationToken: cancellationToken);
        }
        for (int i = 0; i < _objectsPerClient; i++)
        {
            string name = $"item-{clientIndex}-{i}";
            sent[(name, 1)] = Stopwatch.GetTimestamp();
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("""{"spec":{"step":1}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, name, cancellationToken: cancellationToken);
            sent[(name, 2)] = Stopwatch.GetTimestamp();
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch("""{"status":{"observed":1}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, name, cancellationToken: cancellationToken);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private const string CrdJson = """
    {
      "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
      "metadata": { "name": "benchitems.bench.nvmelm.io" },
      "spec": {
        "group": "bench.nvmelm.io", "scope": "Namespaced",
        "names": { "plural": "benchitems", "singular": "benchitem", "kind": "BenchItem" },
        "versions": [{ "name": "v1", "served": true, "storage": true, "subresources": { "status": {} },
          "schema": { "openAPIV3Schema": { "type": "object", "properties": {
            "spec": { "type": "object", "properties": { "step": { "type": "integer", "minimum": 0 }, "payload": { "type": "string", "maxLength": 1024 } },
                      "x-kubernetes-validations": [ { "rule": "self.step >= 0", "message": "step must not be negative" } ] },
            "status": { "type": "object", "properties": { "observed": { "type": "integer" } } } } } } }]
      }
    }
    """;
}
