using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NvmeLm.TestSupport;

/// <summary>
/// Drives <c>tests/kubelet-sim/kubelet_sim.py</c> (Debian's python3-grpcio: a different gRPC stack than the agent's)
/// in its <c>serve</c> mode: the kubelet's side of the device plugin and PodResources APIs over unix sockets in
/// <see cref="Directory"/>. Commands go as JSON lines to its stdin; its replies and events (registered, devices,
/// stream_ended …) come back on stdout and are kept in order, so a test waits for the event that proves what it checks.
/// </summary>
public sealed class KubeletSimulator : IAsyncDisposable
{
    /// <summary>Debian's interpreter: python3-grpcio is installed for it (a python3 earlier on PATH may lack it).</summary>
    public const string Python = "/usr/bin/python3";

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<JsonObject> _events = [];
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly object _gate = new();
    private readonly Task _reader;
    private readonly Task<string> _stderr;
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private KubeletSimulator(Process process, string directory, string podResourcesSocket)
    {
        _process = process;
        Directory = directory;
        PodResourcesSocket = podResourcesSocket;
        _stderr = process.StandardError.ReadToEndAsync();
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>The device plugin directory (kubelet.sock and the plugins' sockets).</summary>
    public string Directory { get; }

    public string PodResourcesSocket { get; }

    /// <summary>The agent's .proto files, which the simulator loads too.</summary>
    public static string ProtoRoot => RepositoryPaths.Combine("node-agent", "NvmeLm.NodeAgent", "DevicePlugin", "Protos");

    public static string Script => RepositoryPaths.Combine("tests", "kubelet-sim", "kubelet_sim.py");

    /// <summary>Starts a simulated kubelet in a new temporary directory and waits until it serves kubelet.sock.</summary>
    public static async Task<KubeletSimulator> StartAsync()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: the kubelet simulator needs Debian's python3 with python3-grpcio and python3-grpc-tools (.ci/run installs them)");
        }

        string root = Path.Combine(Path.GetTempPath(), "kubelet-sim-" + Guid.NewGuid().ToString("N")[..8]);
        string directory = Path.Combine(root, "device-plugins");
        string podResources = Path.Combine(root, "pod-resources", "kubelet.sock");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])[Script, "--dir", directory, "--protos", ProtoRoot, "--pod-resources", podResources, "serve"])
        {
            start.ArgumentList.Add(arg);
        }

        var simulator = new KubeletSimulator(Process.Start(start)!, directory, podResources);
        await simulator.WaitForEventAsync(e => Kind(e) == "kubelet_started", "the simulated kubelet serving kubelet.sock").ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Every event so far, in order.</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    public static string? Kind(JsonObject e) => (string?)e["event"];

    /// <summary>Registrations of <paramref name="resource"/> so far.</summary>
    public IReadOnlyList<JsonObject> Registrations(string resource) =>
        Events.Where(e => Kind(e) == "registered" && (string?)e["resource"] == resource).ToList();

    /// <summary>The newest device list ListAndWatch sent for <paramref name="resource"/> (ID → health), or null.</summary>
    public IReadOnlyDictionary<string, string>? Devices(string resource) =>
        Events.LastOrDefault(e => Kind(e) == "devices" && (string?)e["resource"] == resource) is { } last
            ? last["devices"]!.AsArray().ToDictionary(d => (string)d!["id"]!, d => (string)d!["health"]!)
            : null;

    /// <summary>Waits until the event list satisfies <paramref name="condition"/> (re-checked on every event).</summary>
    public async Task WaitForAsync(Func<KubeletSimulator, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultWait);
        while (true)
        {
            Task next;
            lock (_gate)
            {
                next = _eventArrived.Task;
            }

            if (condition(this))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the kubelet simulator exited ({_process.ExitCode}) while waiting for {what}: {await _stderr.ConfigureAwait(false)}");
            }

            try
            {
                await next.WaitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited {(timeout ?? DefaultWait).TotalSeconds:0} s for {what}; simulator events: "
                    + string.Join(" | ", Events.TakeLast(8).Select(e => e.ToJsonString())));
            }
        }
    }

    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> match, string what, TimeSpan? timeout = null)
    {
        await WaitForAsync(s => s.Events.Any(match), what, timeout).ConfigureAwait(false);
        return Events.First(match);
    }

    /// <summary>Waits until the newest device list of <paramref name="resource"/> satisfies <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForDevicesAsync(
        string resource, Func<IReadOnlyDictionary<string, string>, bool> condition, string what)
    {
        await WaitForAsync(s => s.Devices(resource) is { } devices && condition(devices), what).ConfigureAwait(false);
        return Devices(resource)!;
    }

    /// <summary>The kubelet's Allocate for one container; the reply has <c>ok</c>, and <c>response</c> or <c>code</c> + <c>details</c>.</summary>
    public Task<JsonObject> AllocateAsync(string resource, params string[] deviceIds) =>
        SendAsync(new JsonObject { ["cmd"] = "allocate", ["resource"] = resource, ["containers"] = new JsonArray(new JsonArray(deviceIds.Select(id => (JsonNode)id!).ToArray())) });

    public async Task<IReadOnlyList<string>> PreferredAsync(string resource, IEnumerable<string> available, IEnumerable<string> mustInclude, int size)
    {
        JsonObject reply = await SendAsync(new JsonObject
        {
            ["cmd"] = "preferred",
            ["resource"] = resource,
            ["available"] = new JsonArray(available.Select(id => (JsonNode)id!).ToArray()),
            ["must"] = new JsonArray(mustInclude.Select(id => (JsonNode)id!).ToArray()),
            ["size"] = size,
        }).ConfigureAwait(false);
        EnsureOk(reply);
        return reply["ids"]!.AsArray().Select(id => (string)id!).ToList();
    }

    /// <summary>Restarts the kubelet: every socket in the directory is deleted and kubelet.sock served anew.</summary>
    public async Task RestartAsync() => EnsureOk(await SendAsync(new JsonObject { ["cmd"] = "restart" }).ConfigureAwait(false));

    /// <summary>What PodResources List/Get answer from now on: (namespace, pod, container, resource, device IDs).</summary>
    public async Task SetPodsAsync(params (string Namespace, string Pod, string Container, string Resource, string[] DeviceIds)[] containers)
    {
        var pods = new JsonArray();
        foreach (var pod in containers.GroupBy(c => (c.Namespace, c.Pod)))
        {
            pods.Add(new JsonObject
            {
                ["namespace"] = pod.Key.Namespace,
                ["name"] = pod.Key.Pod,
                ["containers"] = new JsonArray(pod.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Container,
                    ["devices"] = new JsonArray(new JsonObject
                    {
                        ["resource_name"] = c.Resource,
                        ["device_ids"] = new JsonArray(c.DeviceIds.Select(id => (JsonNode)id!).ToArray()),
                    }),
                }).ToArray()),
            });
        }

        EnsureOk(await SendAsync(new JsonObject { ["cmd"] = "set_pods", ["pods"] = pods }).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync(new JsonObject { ["cmd"] = "quit" }).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _reader.ConfigureAwait(false);
        _process.Dispose();
        string root = Path.GetDirectoryName(Directory)!;
        if (System.IO.Directory.Exists(root))
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }

    private static void EnsureOk(JsonObject reply)
    {
        if ((bool?)reply["ok"] != true)
        {
            throw new InvalidOperationException("kubelet simulator: " + reply.ToJsonString());
        }
    }

    private async Task<JsonObject> SendAsync(JsonObject command)
    {
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = reply;
        }

        command["id"] = id;
        await _process.StandardInput.WriteLineAsync(command.ToJsonString()).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        using var cancel = new CancellationTokenSource(DefaultWait);
        try
        {
            return await reply.Task.WaitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the kubelet simulator did not answer {command.ToJsonString()}");
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (JsonNode.Parse(line) is not JsonObject message)
            {
                continue;
            }

            TaskCompletionSource signal;
            TaskCompletionSource<JsonObject>? reply = null;
            lock (_gate)
            {
                if (message["event"] is null && message["id"] is JsonValue id && _pending.Remove(id.GetValue<int>(), out reply))
                {
                    signal = _eventArrived;
                }
                else
                {
                    _events.Add(message);
                    signal = _eventArrived;
                    _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (reply is not null)
            {
                reply.SetResult(message);
            }
            else
            {
                signal.SetResult();
            }
        }

        lock (_gate)
        {
            _eventArrived.TrySetResult();
        }
    }
}
