using NvmeLm.Hardware.Steps.Actions;

namespace NvmeLm.NodeAgent.Output;

/// <summary>One step of a command: the host actions it performed (or, with <c>--dry-run</c>, would perform) and notes.</summary>
public sealed record StepView(string Step, IReadOnlyList<HostActionView> Actions, IReadOnlyList<string> Notes);
