namespace NvmeLm.Kube.Hosting;

/// <summary>
/// How the operator, the agent and the demo stop. SIGTERM (the kubelet, <c>kill PID</c>) and SIGINT (Ctrl+C) cancel
/// the token System.CommandLine hands to the command's async action, but only when the invocation sets
/// <c>InvocationConfiguration.ProcessTerminationTimeout</c>: System.CommandLine 2.0.0 leaves it null and then registers
/// no signal handler at all (checked: <c>new InvocationConfiguration().ProcessTerminationTimeout</c> is null), so SIGTERM
/// reached only Kestrel's console lifetime, which stopped the HTTP endpoint and left the process running.
/// </summary>
public static class ProcessShutdown
{
    /// <summary>
    /// How long a stopping process may take to finish (stop the controllers, release the lease, delete temp files)
    /// before System.CommandLine returns the signal's exit code (130, 143) anyway: within Kubernetes' default
    /// <c>terminationGracePeriodSeconds</c> of 30 s, after which the kubelet sends SIGKILL.
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(25);
}
