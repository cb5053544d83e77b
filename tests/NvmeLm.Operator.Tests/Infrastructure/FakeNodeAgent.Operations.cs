using k8s.Models;
using NvmeLm.Api.V1Alpha1;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.Operator.Tests.Infrastructure;

public sealed partial class FakeNodeAgent
{
    private readonly Dictionary<NodeOperationType, (string Reason, string Message)> _failNext = new();
    private readonly HashSet<NodeOperationType> _hung = new();

    /// <summary>The next operation of <paramref name="type"/> fails with this reason (as an NVMe error would).</summary>
    public void FailNext(NodeOperationType type, string reason = "NvmeStatus", string message = "injected NVMe status 0x4120")
    {
        lock (_lock)
        {
            _failNext[type] = (reason, message);
        }
    }

    /// <summary>Operations of <paramref name="type"/> report Running and do not finish until <see cref="Unhang"/>.</summary>
    public void Hang(NodeOperationType type)
    {
        lock (_lock)
        {
            _hung.Add(type);
        }
    }

    public void Unhang()
    {
        lock (_lock)
        {
            _hung.Clear();
        }
    }

    /// <summary>True once an operation of <paramref name="type"/> was requested (answered or hanging).</summary>
    public bool WasRequested(NodeOperationType type)
    {
        lock (_lock)
        {
            return _results.Values.Any(r => r.Type == type);
        }
    }

    private async Task RunOperationsAsync(V1Alpha1NvmeNode.EntitySpec spec, CancellationToken cancellationToken)
    {
        foreach (var operation in spec.Operations ?? [])
        {
            lock (_lock)
            {
                if (_results.TryGetValue(operation.Id, out var done) && done.State != OperationState.Running)
                {
                    continue;
                }

                // As the real agent: an operation with 'after' waits, without a result, until that one has succeeded.
                if (operation.After is { } after && !(_results.TryGetValue(after, out var before) && before.State == OperationState.Succeeded))
                {
                    continue;
                }

                if (_hung.Contains(operation.Type))
                {
                    _results[operation.Id] = new NodeOperationResult { Id = operation.Id, Type = operation.Type, State = OperationState.Running, StartedAt = DateTime.UtcNow };
                    continue;
                }
            }

            if (operation is { Type: NodeOperationType.RestoreState, ExpectedSha256: null, StateFrom: { } source }
                && await ReportedDigestAsync(source, cancellationToken) is null)
            {
                // As the real agent: a restore requested ahead of the state waits, without a result, for the source's SaveState.
                continue;
            }

            var result = await PerformAsync(operation, cancellationToken);
            lock (_lock)
            {
                var started = _results.TryGetValue(operation.Id, out var running) ? running.StartedAt : null;
                result.StartedAt = started ?? result.StartedAt;
                _results[operation.Id] = result;
            }
        }
    }

    private async Task<NodeOperationResult> PerformAsync(NodeOperation operation, CancellationToken cancellationToken)
    {
        var result = new NodeOperationResult { Id = operation.Id, Type = operation.Type, StartedAt = DateTime.UtcNow };
        FakeVf vf;
        lock (_lock)
        {
            vf = _pfs.Values.SelectMany(p => p.Vfs.Values).FirstOrDefault(v => v.Address == operation.VfAddress)!;
            if (vf is null || vf.OwnerUid != operation.OwnerUid)
            {
                return Finish(result, "NotOwner", $"VF {operation.VfAddress} is not held by {operation.OwnerUid}");
            }

            if (_failNext.Remove(operation.Type, out var failure))
            {
                _actions.Add($"Failed {operation.Type} {vf.Address}");
                return Finish(result, failure.Reason, failure.Message);
            }

            _executions[operation.Id] = _executions.GetValueOrDefault(operation.Id) + 1;
        }

        switch (operation.Type)
        {
            case NodeOperationType.Suspend:
                lock (_lock)
                {
                    vf.Suspended = true;
                    _actions.Add($"Suspend {vf.Address}");
                }

                break;
            case NodeOperationType.Resume:
                lock (_lock)
                {
                    vf.Suspended = false;
                    vf.Restored = false;
                    _actions.Add($"Resume {vf.Address}");
                }

                break;
            case NodeOperationType.SaveState:
                byte[] state;
                lock (_lock)
                {
                    if (!vf.Suspended)
                    {
                        return Finish(result, "NotSuspended", "Get Controller State needs a suspended controller");
                    }

                    state = vf.State.ToArray();
                    _actions.Add($"SaveState {vf.Address}");
                }

                var key = new NamespacedName(operation.SecretNamespace, operation.SecretName!);
                var secret = await _secrets.GetAsync(key, cancellationToken);
                secret.Data = new Dictionary<string, byte[]> { ["state"] = state };
                await _secrets.ReplaceAsync(secret, cancellationToken);
                result.StateSizeBytes = state.Length;
                result.StateSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(state));
                break;
            case NodeOperationType.RestoreState:
                var stored = await _secrets.GetAsync(new NamespacedName(operation.SecretNamespace, operation.SecretName!), cancellationToken);
                var data = stored.Data["state"];
                var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
                var expected = operation.ExpectedSha256 ?? await ReportedDigestAsync(operation.StateFrom!, cancellationToken);
                if (digest != expected)
                {
                    return Finish(result, "DigestMismatch", $"state has sha256 {digest}, expected {expected}");
                }

                lock (_lock)
                {
                    vf.State = data;
                    vf.Suspended = true;
                    vf.Restored = true;
                    _actions.Add($"RestoreState {vf.Address}");
                }

                result.StateSizeBytes = data.Length;
                result.StateSha256 = digest;
                break;
            default:
                return Finish(result, "Unsupported", $"{operation.Type} is not supported");
        }

        result.State = OperationState.Succeeded;
        result.FinishedAt = DateTime.UtcNow;
        return result;
    }

    /// <summary>The SHA-256 the source node reported for the SaveState a restore waits on, once it Succeeded.</summary>
    private async Task<string?> ReportedDigestAsync(OperationReference source, CancellationToken cancellationToken)
    {
        var node = await _nodes.TryGetAsync(NamespacedName.Cluster(source.Node), cancellationToken);
        var saved = node?.Status?.OperationResults?.FirstOrDefault(r => r.Id == source.OperationId);
        return saved?.State == OperationState.Succeeded ? saved.StateSha256 : null;
    }

    private static NodeOperationResult Finish(NodeOperationResult result, string reason, string message)
    {
        result.State = OperationState.Failed;
        result.Reason = reason;
        result.Message = message;
        result.FinishedAt = DateTime.UtcNow;
        return result;
    }
}
