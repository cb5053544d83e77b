using Microsoft.Extensions.Hosting;

namespace NvmeLm.Kube.Hosting;

/// <summary>
/// An <see cref="IHostLifetime"/> that leaves process signals alone. A <c>WebApplication</c> gets the console lifetime
/// by default, which takes SIGINT, SIGTERM and SIGQUIT for itself (it cancels their default action and stops only its
/// own web host); in our processes the command line owns shutdown (<see cref="ProcessShutdown"/>) and the HTTP
/// endpoint stops with the rest, when its owner disposes it.
/// </summary>
public sealed class ProcessOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
