using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Http;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// The create-only review resources kubectl uses (not stored): SelfSubjectAccessReview (<c>kubectl auth can-i</c>),
/// SubjectAccessReview and LocalSubjectAccessReview (authorization.k8s.io/v1) ask the authorizer about a user;
/// SelfSubjectReview (authentication.k8s.io/v1, <c>kubectl auth whoami</c>) answers who the caller is. Creating
/// them is itself authorized like any create (basic-user grants the self reviews to every authenticated user).
/// </summary>
public sealed class AccessReviewEndpoint
{
    private const string AuthorizationGroup = "authorization.k8s.io";
    private const string AuthenticationGroup = "authentication.k8s.io";

    private readonly IAuthorizer _authorizer;

    public AccessReviewEndpoint(IAuthorizer authorizer) => _authorizer = authorizer;

    public static bool Handles(ResourcePath path) => path switch
    {
        { Group: AuthorizationGroup, Version: "v1", Name: null, Namespace: null, Resource: "selfsubjectaccessreviews" or "subjectaccessreviews" } => true,
        { Group: AuthorizationGroup, Version: "v1", Name: null, Namespace: not null, Resource: "localsubjectaccessreviews" } => true,
        { Group: AuthenticationGroup, Version: "v1", Name: null, Namespace: null, Resource: "selfsubjectreviews" } => true,
        _ => false,
    };

    public async Task<int> ServeAsync(HttpContext context, ResourcePath path, UserInfo caller)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        var review = await JsonResponse.ReadAsync(context.Request, context.RequestAborted) as JsonObject ?? new JsonObject();
        review["metadata"] ??= new JsonObject();
        switch (path.Resource)
        {
            case "selfsubjectreviews":
                review["kind"] = "SelfSubjectReview";
                review["apiVersion"] = $"{AuthenticationGroup}/v1";
                review["status"] = new JsonObject { ["userInfo"] = UserJson(caller) };
                break;
            case "selfsubjectaccessreviews":
                Review(review, "SelfSubjectAccessReview", caller, null);
                break;
            case "subjectaccessreviews":
                Review(review, "SubjectAccessReview", UserFromSpec(review), null);
                break;
            default:
                Review(review, "LocalSubjectAccessReview", UserFromSpec(review), path.Namespace);
                break;
        }
        await JsonResponse.WriteAsync(context, 201, review, context.RequestAborted);
        return 201;
    }

    private void Review(JsonObject review, string kind, UserInfo user, string? requiredNamespace)
    {
        review["kind"] = kind;
        review["apiVersion"] = $"{AuthorizationGroup}/v1";
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw ApiException.Invalid(kind, AuthorizationGroup, "",
                [new InvalidCause("FieldValueInvalid", "spec.resourceAttributes", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }
        if (requiredNamespace is not null && (resource?["namespace"]?.GetValue<string>() ?? "") != requiredNamespace)
        {
            throw ApiException.Invalid(kind, AuthorizationGroup, "",
                [new InvalidCause("FieldValueInvalid", "spec.resourceAttributes.namespace", $"Invalid value: \"{resource?["namespace"]}\": must match metadata.namespace")]);
        }
        var attributes = resource is not null
            ? new AuthorizationAttributes(user, Text(resource, "verb"), true, Text(resource, "group"), Text(resource, "version"),
                Text(resource, "resource"), Text(resource, "subresource"), Text(resource, "namespace"), Text(resource, "name"), "")
            : new AuthorizationAttributes(user, Text(nonResource!, "verb"), false, "", "", "", "", "", "", Text(nonResource!, "path"));
        var decision = _authorizer.Authorize(attributes);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }
        review["status"] = status;
    }

    private static UserInfo UserFromSpec(JsonObject review)
    {
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        var groups = (spec["groups"] as JsonArray)?.Select(g => g?.GetValue<string>() ?? "").ToList() ?? [];
        var extra = (spec["extra"] as JsonObject)?.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<string>)((p.Value as JsonArray)?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? []),
            StringComparer.Ordinal) ?? new Dictionary<string, IReadOnlyList<string>>();
        return new UserInfo(Text(spec, "user"), Text(spec, "uid"), groups, extra);
    }

    private static JsonObject UserJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            json["uid"] = user.Uid;
        }
        json["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)g).ToArray());
        if (user.Extra.Count > 0)
        {
            json["extra"] = new JsonObject(user.Extra.Select(p =>
                KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray(p.Value.Select(v => (JsonNode?)v).ToArray()))));
        }
        return json;
    }

    private static string Text(JsonObject obj, string field) => obj[field]?.GetValue<string>() ?? "";
}
