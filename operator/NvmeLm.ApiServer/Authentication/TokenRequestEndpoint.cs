using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Authentication;

/// <summary>
/// <c>POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>: TokenRequest (authentication.k8s.io/v1),
/// as kube-apiserver serves it (pkg/registry/core/serviceaccount/storage/token.go). The token authenticates as the
/// service account; bound to a Pod it also carries the pod's name and uid and — from the pod's
/// <c>spec.nodeName</c> — its node's name and uid (ServiceAccountTokenPodNodeInfo, GA in 1.32), plus a
/// credential id; bound to a Node, the node's; bound to a Secret, nothing more. It stops working when it
/// expires or what it is bound to is deleted.
/// </summary>
public sealed class TokenRequestEndpoint
{
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;
    private const long DefaultExpirationSeconds = 3600;

    private static readonly StorageKey s_serviceAccounts = new("", "serviceaccounts");
    private static readonly StorageKey s_pods = new("", "pods");
    private static readonly StorageKey s_nodes = new("", "nodes");
    private static readonly StorageKey s_secrets = new("", "secrets");

    private readonly ObjectStore _store;
    private readonly IssuedTokens _tokens;
    private readonly TimeProvider _time;

    public TokenRequestEndpoint(ObjectStore store, IssuedTokens tokens, TimeProvider time)
    {
        _store = store;
        _tokens = tokens;
        _time = time;
    }

    public static bool Handles(ResourcePath path) =>
        path is { Group: "", Version: "v1", Resource: "serviceaccounts", Subresource: "token", Namespace: not null, Name: not null };

    public async Task<int> ServeAsync(HttpContext context, ResourcePath path)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        var body = await JsonResponse.ReadAsync(context.Request, context.RequestAborted) as JsonObject ?? new JsonObject();
        var response = Issue(path.Namespace!, path.Name!, body);
        await JsonResponse.WriteAsync(context, 201, response, context.RequestAborted);
        return 201;
    }

    /// <summary>Validates the request, resolves what it binds to, registers the token and returns the TokenRequest with its status.</summary>
    public JsonObject Issue(string namespaceName, string serviceAccountName, JsonObject request)
    {
        var spec = request["spec"] as JsonObject ?? new JsonObject();
        long expirationSeconds = spec["expirationSeconds"] is JsonValue value && value.TryGetValue(out long seconds) ? seconds : DefaultExpirationSeconds;
        ValidateExpiration(expirationSeconds);
        var serviceAccount = _store.Get(s_serviceAccounts, new ObjectName(namespaceName, serviceAccountName))
            ?? throw ApiException.NotFound("serviceaccounts", serviceAccountName);
        string serviceAccountUid = Uid(serviceAccount);
        var bound = new List<BoundObject> { new(s_serviceAccounts, new ObjectName(namespaceName, serviceAccountName), serviceAccountUid) };
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (spec["boundObjectRef"] is JsonObject reference)
        {
            bound.Add(BindTo(reference, namespaceName, serviceAccountName, extra));
        }
        extra[ServiceAccountIdentity.CredentialIdKey] = ["JTI=" + Guid.NewGuid()];
        var audiences = (spec["audiences"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").Where(a => a.Length > 0).ToList() ?? [];
        if (audiences.Count == 0)
        {
            audiences.Add(IssuedTokens.ApiAudience);
        }

        var now = _time.GetUtcNow();
        var expires = now.AddSeconds(expirationSeconds);
        var user = new UserInfo(ServiceAccountIdentity.Username(namespaceName, serviceAccountName), serviceAccountUid,
            ServiceAccountIdentity.Groups(namespaceName), extra);
        string token = _tokens.Issue(new IssuedToken(user, expires, audiences, bound));

        var answeredSpec = (JsonObject)spec.DeepClone();
        answeredSpec["audiences"] = new JsonArray(audiences.Select(a => (JsonNode?)a).ToArray());
        answeredSpec["expirationSeconds"] = expirationSeconds;
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = serviceAccountName,
                ["namespace"] = namespaceName,
                ["uid"] = serviceAccountUid,
                ["creationTimestamp"] = Timestamp(now),
            },
            ["spec"] = answeredSpec,
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = Timestamp(expires) },
        };
    }

    /// <summary>Resolves <c>spec.boundObjectRef</c>, adding the claims it brings to <paramref name="extra"/>.</summary>
    private BoundObject BindTo(JsonObject reference, string namespaceName, string serviceAccountName, Dictionary<string, IReadOnlyList<string>> extra)
    {
        string kind = reference["kind"]?.GetValue<string>() ?? "";
        string apiVersion = reference["apiVersion"]?.GetValue<string>() ?? "";
        string name = reference["name"]?.GetValue<string>() ?? "";
        string group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        BoundObject bound;
        switch (kind)
        {
            case "Pod" when group.Length == 0:
                var pod = _store.Get(s_pods, new ObjectName(namespaceName, name)) ?? throw ApiException.NotFound("pods", name);
                string podServiceAccount = pod["spec"]?["serviceAccountName"]?.GetValue<string>() is { Length: > 0 } sa ? sa : "default";
                if (podServiceAccount != serviceAccountName)
                {
                    throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{serviceAccountName}\" to pod running with different serviceaccount name.");
                }
                bound = new BoundObject(s_pods, new ObjectName(namespaceName, name), Uid(pod));
                extra[ServiceAccountIdentity.PodNameKey] = [name];
                extra[ServiceAccountIdentity.PodUidKey] = [bound.Uid];
                if (pod["spec"]?["nodeName"]?.GetValue<string>() is { Length: > 0 } nodeName)
                {
                    // A pod's node that has no Node object still gives its name (kube does the same).
                    AddNodeClaims(nodeName, _store.Get(s_nodes, new ObjectName("", nodeName)), extra);
                }
                break;
            case "Node" when group.Length == 0:
                var node = _store.Get(s_nodes, new ObjectName("", name)) ?? throw ApiException.NotFound("nodes", name);
                bound = new BoundObject(s_nodes, new ObjectName("", name), Uid(node));
                AddNodeClaims(name, node, extra);
                break;
            case "Secret" when group.Length == 0:
                var secret = _store.Get(s_secrets, new ObjectName(namespaceName, name)) ?? throw ApiException.NotFound("secrets", name);
                bound = new BoundObject(s_secrets, new ObjectName(namespaceName, name), Uid(secret));
                break;
            default:
                string version = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
                throw ApiException.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={kind}");
        }
        if (reference["uid"]?.GetValue<string>() is { Length: > 0 } uid && uid != bound.Uid)
        {
            throw ApiException.Conflict(kind, name,
                $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }
        return bound;
    }

    private static void AddNodeClaims(string nodeName, JsonObject? node, Dictionary<string, IReadOnlyList<string>> extra)
    {
        extra[ServiceAccountIdentity.NodeNameKey] = [nodeName];
        if (node is not null)
        {
            extra[ServiceAccountIdentity.NodeUidKey] = [Uid(node)];
        }
    }

    private static void ValidateExpiration(long seconds)
    {
        string? problem = seconds < MinExpirationSeconds ? "may not specify a duration less than 10 minutes"
            : seconds > MaxExpirationSeconds ? "may not specify a duration larger than 2^32 seconds"
            : null;
        if (problem is not null)
        {
            throw ApiException.Invalid("TokenRequest", "authentication.k8s.io", "",
                [new InvalidCause("FieldValueInvalid", "spec.expirationSeconds", $"Invalid value: {seconds.ToString(CultureInfo.InvariantCulture)}: {problem}")]);
        }
    }

    private static string Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>() ?? "";

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
