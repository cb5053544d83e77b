using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Http;

/// <summary>
/// A failed API request, carried to the HTTP layer and rendered as a <c>meta/v1 Status</c> the way
/// kube-apiserver does (code, reason, message and optional details).
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public static ApiException NotFound(string qualifiedResource, string name) =>
        new(404, "NotFound", $"{qualifiedResource} \"{name}\" not found", Describe(qualifiedResource, name));

    public static ApiException AlreadyExists(string qualifiedResource, string name) =>
        new(409, "AlreadyExists", $"{qualifiedResource} \"{name}\" already exists", Describe(qualifiedResource, name));

    public static ApiException Conflict(string qualifiedResource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {qualifiedResource} \"{name}\": {why}", Describe(qualifiedResource, name));

    public static ApiException StaleResourceVersion(string qualifiedResource, string name) =>
        Conflict(qualifiedResource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiException Forbidden(string qualifiedResource, string name, string why) =>
        new(403, "Forbidden", $"{qualifiedResource} \"{name}\" is forbidden: {why}", Describe(qualifiedResource, name));

    /// <summary>422 Invalid with one cause per field error, formatted like apimachinery's NewInvalid.</summary>
    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<InvalidCause> causes)
    {
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = group,
            ["kind"] = kind,
        };
        var causeArray = new JsonArray();
        foreach (var cause in causes)
        {
            causeArray.Add(new JsonObject
            {
                ["reason"] = cause.Reason,
                ["message"] = cause.Message,
                ["field"] = cause.Field,
            });
        }
        details["causes"] = causeArray;
        string qualifiedKind = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        string joined = causes.Count == 1
            ? causes[0].ToString()
            : "[" + string.Join(", ", causes.Select(c => c.ToString())) + "]";
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", details);
    }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }
        status["code"] = Code;
        return status;
    }

    private static JsonObject Describe(string qualifiedResource, string name)
    {
        int dot = qualifiedResource.IndexOf('.', StringComparison.Ordinal);
        return new JsonObject
        {
            ["name"] = name,
            ["group"] = dot < 0 ? "" : qualifiedResource[(dot + 1)..],
            ["kind"] = dot < 0 ? qualifiedResource : qualifiedResource[..dot],
        };
    }
}
