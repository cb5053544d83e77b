using System.Net;

namespace NvmeLm.Kube.Hosting;

/// <summary>Where the health and metrics endpoints listen.</summary>
public sealed record OperatorHttpServerOptions
{
    /// <summary>TCP port; 0 picks a free one (see <see cref="OperatorHttpServer.Port"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><see cref="IPAddress.Loopback"/> (default, for local runs) or <see cref="IPAddress.Any"/> in a pod.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;
}
