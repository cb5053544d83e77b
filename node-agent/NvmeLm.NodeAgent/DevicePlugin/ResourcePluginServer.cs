using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NvmeLm.Kube.Hosting;

namespace NvmeLm.NodeAgent.DevicePlugin;

/// <summary>
/// Serves one resource's <c>DevicePlugin</c> service on its own unix socket (Kestrel, HTTP/2 without TLS: the kubelet
/// dials with gRPC's prior-knowledge h2c). A stale socket file is removed before listening; disposing stops the
/// server and removes the socket, so the kubelet sees the resource's endpoint go.
/// </summary>
public sealed class ResourcePluginServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourcePluginServer(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>Whether the socket file is still there (a restarting kubelet deletes every socket in its directory).</summary>
    public bool SocketExists => File.Exists(SocketPath);

    public static async Task<ResourcePluginServer> StartAsync(string socketPath, ResourcePluginContext context, CancellationToken cancellationToken)
    {
        File.Delete(socketPath);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
        // The agent's command line owns SIGTERM/SIGINT; the slim builder's console lifetime would also claim SIGQUIT and
        // stop only this plugin server, leaving the agent running without its device plugin.
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(context);
        WebApplication app = builder.Build();
        app.MapGrpcService<VfDevicePluginService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ResourcePluginServer(app, socketPath);
    }

    public async ValueTask DisposeAsync()
    {
        // Open ListAndWatch streams were ended by ResourceDevices.Withdraw or end with the connection here.
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        File.Delete(SocketPath);
    }
}
