using Microsoft.Extensions.Hosting;

namespace NvmeLm.ApiServer.Hosting;

/// <summary>
/// An <see cref="IHostLifetime"/> that takes no process signals. Every <c>WebApplication</c> builder, the empty one
/// included, registers the console lifetime, which claims SIGINT, SIGTERM and SIGQUIT: SIGQUIT then stopped the
/// Kestrel host silently while the <c>serve</c> process (and a test or demo hosting the server) ran on without an
/// API. The server's owner decides when it stops (<see cref="EmbeddedApiServer.DisposeAsync"/>); <c>serve</c>
/// handles the signals itself. (NvmeLm.Kube has the same idea for the operator's HTTP endpoint; this project
/// depends on nothing of ours, hence its own three lines.)
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
