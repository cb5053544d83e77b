using System.Globalization;
using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.DevCluster;

/// <summary>Progress for logs and pipes (stdout not a terminal): one line per phase change, with the time since start.</summary>
public sealed class PlainProgressView : IDisposable
{
    private readonly TextWriter _output;
    private readonly MigrationTracker _tracker;
    private readonly object _gate = new();

    public PlainProgressView(TextWriter output, MigrationTracker tracker)
    {
        _output = output;
        _tracker = tracker;
        _tracker.PhaseChanged += OnPhaseChanged;
    }

    public void Dispose() => _tracker.PhaseChanged -= OnPhaseChanged;

    private void OnPhaseChanged(TrackedMigration tracked, MigrationPhase phase)
    {
        var step = tracked.CurrentStep;
        var detail = phase is MigrationPhase.Failed or MigrationPhase.RollingBack && tracked.Latest?.Status?.FailureReason is { } reason
            ? " reason=" + reason
            : step is null ? "" : $" step={step.Name}{(step.Node is null ? "" : "@" + step.Node)}";
        lock (_gate)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_tracker.Now.TotalSeconds,8:0.000}s] {tracked.Name}: {phase}{detail}"));
        }
    }
}
