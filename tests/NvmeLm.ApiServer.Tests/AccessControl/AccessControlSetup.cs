using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Authorization;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Tests.Integration;
using NvmeLm.TestSupport;

namespace NvmeLm.ApiServer.Tests.AccessControl;

/// <summary>
/// What the access-control tests set up through the API, as a cluster admin would: a server with RBAC (and
/// admission policies), manifests, the project's NvmeNode CRD, and service-account tokens for pods on nodes.
/// </summary>
public static class AccessControlSetup
{
    /// <summary>Namespace <c>team</c> and a Role bound to user <c>alice</c> that lets her get (not list) its Secrets.</summary>
    public const string AliceReadsTeamSecrets = """
        apiVersion: v1
        kind: Namespace
        metadata: { name: team }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: secret-reader, namespace: team }
        rules:
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: alice-reads-secrets, namespace: team }
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader }
        subjects:
          - { apiGroup: rbac.authorization.k8s.io, kind: User, name: alice }
        """;

    /// <param name="tls">
    /// HTTPS, for kubectl: like client-go, it sends a kubeconfig's or <c>--token</c>'s credentials only over TLS
    /// (over plain HTTP every kubectl request is anonymous).
    /// </param>
    public static Task<EmbeddedApiServer> StartAsync(bool admissionPolicies = false, bool tls = false) => EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
    {
        Authorization = AuthorizationMode.Rbac,
        ValidatingAdmissionPolicy = admissionPolicies,
        UseTls = tls,
        ControllerInterval = TimeSpan.FromMilliseconds(20),
    });

    /// <summary>Creates every document of <paramref name="yaml"/> (separated by <c>---</c> lines) as the admin; a failure fails the test.</summary>
    public static async Task ApplyAsync(EmbeddedApiServer server, string yaml)
    {
        using var http = HttpHelpers.Client(server);
        foreach (string document in yaml.Split("\n---\n"))
        {
            var obj = (JsonObject)YamlToJson.Convert(document)!;
            var (code, body) = await HttpHelpers.SendAsync(http, HttpMethod.Post, CollectionPath(obj), obj);
            Assert.True(code == 201, $"creating {obj["kind"]} {obj["metadata"]?["name"]}: {code} {body.ToJsonString()}");
        }
    }

    /// <summary>The project's NvmeNode CRD, from <c>crds/</c>, and NvmeNodes of the given names.</summary>
    public static async Task InstallNvmeNodesAsync(EmbeddedApiServer server, params string[] names)
    {
        string crd = await File.ReadAllTextAsync(RepositoryPaths.Combine("crds", "nvmelm.io_nvmenodes.yaml"));
        await ApplyAsync(server, crd[crd.IndexOf("apiVersion:", StringComparison.Ordinal)..]);
        foreach (string name in names)
        {
            await ApplyAsync(server, $"apiVersion: nvmelm.io/v1alpha1\nkind: NvmeNode\nmetadata:\n  name: {name}\nspec: {{}}\n");
        }
    }

    /// <summary>A token for "a pod on <paramref name="nodeName"/>" the way kube issues one (<see cref="PodTokens"/>).</summary>
    public static async Task<string> PodTokenAsync(EmbeddedApiServer server, string namespaceName, string serviceAccount, string podName, string nodeName)
    {
        using var admin = server.CreateClient();
        return await PodTokens.IssueAsync(admin, namespaceName, serviceAccount, podName, nodeName);
    }

    private static string CollectionPath(JsonObject obj)
    {
        string apiVersion = obj["apiVersion"]!.GetValue<string>();
        string kind = obj["kind"]!.GetValue<string>();
        string prefix = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        string? ns = obj["metadata"]?["namespace"]?.GetValue<string>();
        string plural = kind.ToLowerInvariant() switch
        {
            "validatingadmissionpolicy" => "validatingadmissionpolicies",
            var k => k + "s",
        };
        return ns is null ? $"{prefix}/{plural}" : $"{prefix}/namespaces/{ns}/{plural}";
    }
}
