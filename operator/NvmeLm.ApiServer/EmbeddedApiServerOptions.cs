using NvmeLm.ApiServer.Authorization;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer;

/// <summary>How an <see cref="EmbeddedApiServer"/> listens, authenticates and behaves.</summary>
public sealed class EmbeddedApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serve HTTPS with a fresh self-signed certificate (carried in the kubeconfig as the CA) instead of plain HTTP.</summary>
    public bool UseTls { get; init; }

    /// <summary>Where to write the kubeconfig; null writes it to a fresh temporary directory (removed on dispose).</summary>
    public string? KubeConfigPath { get; init; }

    /// <summary>The client identity the kubeconfig (and <see cref="EmbeddedApiServer.CreateClient"/> without an identity) uses.</summary>
    public string DefaultIdentity { get; init; } = "admin";

    /// <summary>
    /// Accepted bearer tokens and the identity each names. Null (the default) accepts any token as the
    /// name of its identity and requests without a token as <c>system:anonymous</c>; otherwise any other
    /// token is refused with 401.
    /// </summary>
    public IReadOnlyDictionary<string, string>? BearerTokens { get; init; }

    /// <summary>
    /// Groups of named identities (a bearer token's identity), beyond <c>system:authenticated</c> and the groups a
    /// <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> name implies. The default puts the admin identity in
    /// <c>system:masters</c>, so it may do anything when RBAC is on. Tokens from TokenRequest carry their own groups.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> IdentityGroups { get; init; } =
        new Dictionary<string, IReadOnlyList<string>> { ["admin"] = ["system:masters"] };

    /// <summary>
    /// AlwaysAllow (the default) or RBAC from the stored roles and bindings; with RBAC the default ClusterRoles and
    /// ClusterRoleBindings of a new cluster (cluster-admin for system:masters, discovery, basic-user,
    /// public-info-viewer) are created at start.
    /// </summary>
    public AuthorizationMode Authorization { get; init; } = AuthorizationMode.AlwaysAllow;

    /// <summary>Evaluate the stored ValidatingAdmissionPolicies and their bindings on every client write (off by default).</summary>
    public bool ValidatingAdmissionPolicy { get; init; }

    /// <summary>Events kept per resource for watches that resume from a resourceVersion; older ones get 410 Gone.</summary>
    public int WatchHistoryPerResource { get; init; } = 10_000;

    /// <summary>Events a watcher may fall behind before its stream is closed (like a slow watcher in kube-apiserver).</summary>
    public int WatchQueueCapacity { get; init; } = 100_000;

    /// <summary>How often watches that allow bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the garbage collector and namespace/CRD termination run (when something changed).</summary>
    public TimeSpan ControllerInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Audit records kept (oldest dropped beyond this).</summary>
    public int AuditCapacity { get; init; } = 1_000_000;

    /// <summary>Creates default, kube-system, kube-public and kube-node-lease at start, as a new cluster has.</summary>
    public bool CreateDefaultNamespaces { get; init; } = true;

    /// <summary>
    /// Builds the validator for a CRD version's openAPIV3Schema; null uses the structural-schema and CEL
    /// validator of <c>NvmeLm.ApiServer.Validation</c>.
    /// </summary>
    public Func<System.Text.Json.Nodes.JsonObject, IObjectValidator?>? ValidatorFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
