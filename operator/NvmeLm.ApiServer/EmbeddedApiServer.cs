using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Api;
using NvmeLm.ApiServer.Audit;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Authorization;
using NvmeLm.ApiServer.Builtins;
using NvmeLm.ApiServer.Crds;
using NvmeLm.ApiServer.Faults;
using NvmeLm.ApiServer.Gc;
using NvmeLm.ApiServer.Hosting;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Http.OpenApi;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer;

/// <summary>
/// An in-process Kubernetes API server over HTTP (or HTTPS with a self-signed CA) on 127.0.0.1: the built-in resources the system
/// uses, CRDs served as soon as they are created, watch, selectors, finalizers, garbage collection,
/// custom resource validation, discovery and OpenAPI for kubectl — plus fault injection and an audit
/// record for tests. Start with <see cref="StartAsync"/>, stop with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BackgroundControllers _controllers;
    private readonly EmbeddedApiServerOptions _options;
    private readonly string? _ownedTempDirectory;
    private IReadOnlyList<IDisposable> _accessControl = [];

    private EmbeddedApiServer(WebApplication app, BackgroundControllers controllers, EmbeddedApiServerOptions options, Uri baseUri,
        string kubeConfigPath, string? ownedTempDirectory, FaultInjector faults, AuditLog audit, ObjectStore store, ResourceRegistry registry)
    {
        _app = app;
        _controllers = controllers;
        _options = options;
        BaseUri = baseUri;
        KubeConfigPath = kubeConfigPath;
        _ownedTempDirectory = ownedTempDirectory;
        Faults = faults;
        Audit = audit;
        Store = store;
        Resources = registry;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt; (https with <see cref="EmbeddedApiServerOptions.UseTls"/>).</summary>
    public Uri BaseUri { get; }

    /// <summary>A kubeconfig file for this server (context <c>nvmelm-dev</c>, default namespace <c>default</c>).</summary>
    public string KubeConfigPath { get; }

    public FaultInjector Faults { get; }

    public AuditLog Audit { get; }

    /// <summary>The object store (for assertions and the bench; clients should use the API).</summary>
    public ObjectStore Store { get; }

    /// <summary>The self-signed serving certificate when <see cref="EmbeddedApiServerOptions.UseTls"/> is on (also the CA clients trust).</summary>
    public X509Certificate2? ServingCertificate { get; private init; }

    /// <summary>The currently served resources.</summary>
    public ResourceRegistry Resources { get; }

    /// <summary>The service-account tokens TokenRequest issued (<c>POST …/serviceaccounts/{name}/token</c>).</summary>
    public IssuedTokens Tokens { get; private init; } = null!;

    /// <summary>What admission policies recorded for Audit actions and audit annotations (empty unless they are on).</summary>
    public PolicyAuditLog PolicyAudit { get; private init; } = new();

    public static async Task<EmbeddedApiServer> StartAsync(EmbeddedApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedApiServerOptions();
        var store = new ObjectStore(options.WatchHistoryPerResource, options.WatchQueueCapacity);
        var registry = new ResourceRegistry();
        var admission = options.ValidatingAdmissionPolicy ? new ValidatingAdmissionPolicyPlugin(store, options.TimeProvider) : null;
        var service = new ResourceService(store, options.TimeProvider) { Admission = admission };
        var validatorFactory = options.ValidatorFactory ?? SchemaValidatorAdapter.Create;
        var crds = new CrdRegistry(registry, store, validatorFactory);
        registry.Set(BuiltinResources.Owner, BuiltinResources.Create(new CrdStrategy(crds)));
        var faults = new FaultInjector(store.Watches);
        var audit = new AuditLog(options.AuditCapacity);
        var discovery = new Discovery(registry);
        var tokens = new IssuedTokens(store, options.TimeProvider);
        var authorizer = options.Authorization == AuthorizationMode.Rbac ? new RbacAuthorizer(store) : null;
        var access = new AccessControl(new TokenAuthenticator(tokens, options.BearerTokens, options.IdentityGroups), authorizer,
            new TokenRequestEndpoint(store, tokens, options.TimeProvider), remembersUser: admission is not null);
        var handler = new ApiRequestHandler(
            new ResourceEndpoints(registry, service, new WatchStream(store, options.BookmarkInterval)),
            new NonResourceEndpoints(discovery, new AggregatedDiscovery(registry, discovery), new OpenApiV3(registry), new OpenApiV2(registry)),
            faults, audit, access);
        if (options.CreateDefaultNamespaces)
        {
            var namespaces = registry.Find("", "v1", "namespaces")!;
            foreach (string name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                service.Create(namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
            }
        }
        if (authorizer is not null)
        {
            CreateBootstrapPolicy(registry, service);
        }

        var certificate = options.UseTls ? SelfSignedCertificate.Create() : null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            // The API's 3 MiB limit is enforced while reading (RequestLimits) so the client gets kube's Status; Kestrel's cap is a backstop.
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        string? caPem = certificate is null ? null : SelfSignedCertificate.ToPem(certificate);

        string? tempDirectory = null;
        string kubeConfigPath = options.KubeConfigPath ?? Path.Combine(tempDirectory = Directory.CreateTempSubdirectory("nvmelm-devcluster-").FullName, "kubeconfig");
        KubeConfigWriter.Write(kubeConfigPath, baseUri, TokenFor(options, options.DefaultIdentity), caPem);
        var controllers = new BackgroundControllers(store, new GarbageCollector(registry, service), new TerminationController(registry, service), options.ControllerInterval);
        return new EmbeddedApiServer(app, controllers, options, baseUri, kubeConfigPath, tempDirectory, faults, audit, store, registry)
        {
            ServingCertificate = certificate,
            Tokens = tokens,
            PolicyAudit = admission?.Audit ?? new PolicyAuditLog(),
            _accessControl = new IDisposable?[] { authorizer, admission }.OfType<IDisposable>().ToList(),
        };
    }

    /// <summary>A KubernetesClient for this server whose bearer token names <paramref name="identity"/> (default: the admin identity).</summary>
    public Kubernetes CreateClient(string? identity = null) => new(CreateClientConfiguration(identity));

    public KubernetesClientConfiguration CreateClientConfiguration(string? identity = null) =>
        ClientConfigurationForToken(TokenFor(_options, identity ?? _options.DefaultIdentity));

    /// <summary>A KubernetesClient that sends <paramref name="token"/> as it is, e.g. one a TokenRequest issued.</summary>
    public Kubernetes CreateClientWithToken(string token) => new(ClientConfigurationForToken(token));

    /// <summary>
    /// Writes a kubeconfig for this server that sends <paramref name="token"/> (e.g. one <see cref="Authentication.PodTokens"/>
    /// issued), for a process that should run as that identity — the operator or an agent started with <c>--kubeconfig</c>.
    /// </summary>
    public void WriteKubeConfigForToken(string path, string token) =>
        KubeConfigWriter.Write(path, BaseUri, token, ServingCertificate is null ? null : SelfSignedCertificate.ToPem(ServingCertificate));

    private KubernetesClientConfiguration ClientConfigurationForToken(string token) => new()
    {
        Host = BaseUri.ToString(),
        AccessToken = token,
        Namespace = "default",
        SslCaCerts = ServingCertificate is null ? null : [X509CertificateLoader.LoadCertificate(ServingCertificate.RawData)],
    };

    public async ValueTask DisposeAsync()
    {
        Faults.CloseAllWatches();
        await _controllers.DisposeAsync();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(grace.Token);
        }
        await _app.DisposeAsync();
        foreach (var part in _accessControl)
        {
            part.Dispose();
        }
        ServingCertificate?.Dispose();
        if (_ownedTempDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedTempDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    /// <summary>What kube-apiserver's RBAC bootstrap creates (<see cref="BootstrapPolicy"/>), through the normal create path.</summary>
    private static void CreateBootstrapPolicy(ResourceRegistry registry, ResourceService service)
    {
        var clusterRoles = registry.Find(RbacPolicy.Group, "v1", "clusterroles")!;
        var clusterRoleBindings = registry.Find(RbacPolicy.Group, "v1", "clusterrolebindings")!;
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            service.Create(clusterRoles, "", role);
        }
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            service.Create(clusterRoleBindings, "", binding);
        }
    }

    private static string TokenFor(EmbeddedApiServerOptions options, string identity)
    {
        if (options.BearerTokens is null)
        {
            return identity;
        }
        foreach (var (token, name) in options.BearerTokens)
        {
            if (name == identity)
            {
                return token;
            }
        }
        throw new ArgumentException($"no bearer token is configured for identity '{identity}'", nameof(identity));
    }
}
