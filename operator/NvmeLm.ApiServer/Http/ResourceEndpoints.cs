using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NvmeLm.ApiServer.Api;
using NvmeLm.ApiServer.ManagedFields;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Selectors;
using NvmeLm.ApiServer.Tables;

namespace NvmeLm.ApiServer.Http;

/// <summary>Maps resource URLs and verbs onto the <see cref="ResourceService"/> and renders objects, lists and Tables.</summary>
public sealed class ResourceEndpoints
{
    private readonly ResourceRegistry _registry;
    private readonly ResourceService _service;
    private readonly WatchStream _watch;

    public ResourceEndpoints(ResourceRegistry registry, ResourceService service, WatchStream watch)
    {
        _registry = registry;
        _service = service;
        _watch = watch;
    }

    /// <summary>HttpContext item carrying the name a create assigned (for the audit record, as kube's objectRef has it).</summary>
    public const string CreatedNameKey = "nvmelm.createdName";

    public async Task<int> ServeAsync(HttpContext context, ResourcePath path, string verb, QueryOptions query, bool forceGone)
    {
        var type = _registry.Find(path.Group, path.Version, path.Resource)
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        if (!type.Namespaced && path.Namespace is not null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        if (type.Namespaced && path.Namespace is null && verb is not ("list" or "watch" or "deletecollection"))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        bool statusSubresource = path.Subresource == "status" && type.HasStatusSubresource;
        bool finalize = path.Subresource == "finalize" && type.Plural == "namespaces" && type.Group.Length == 0;
        if (path.Subresource is not null && !statusSubresource && !finalize)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }
        string ns = path.Namespace ?? "";
        bool asTable = WantsTable(context.Request);
        var metadataOnly = PartialObjectMetadata.Requested(context.Request.Headers.Accept.ToString());
        var aborted = context.RequestAborted;
        switch (verb)
        {
            case "watch":
                PartialObjectMetadata.EnsureFits(metadataOnly, isList: false);
                await _watch.ServeAsync(context, type, path.Namespace, path.Name, query, asTable, forceGone, metadataOnly == PartialObjectMetadata.Form.Object);
                return 200;
            case "get":
            {
                PartialObjectMetadata.EnsureFits(metadataOnly, isList: false);
                var obj = _service.Get(type, ns, path.Name!);
                JsonNode body = asTable
                    ? TableBuilder.Build(type, [obj], obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "", null, query.IncludeObject)
                    : metadataOnly == PartialObjectMetadata.Form.Object ? PartialObjectMetadata.Of(obj) : obj;
                await JsonResponse.WriteAsync(context, 200, body, aborted);
                return 200;
            }
            case "list":
            {
                PartialObjectMetadata.EnsureFits(metadataOnly, isList: true);
                var result = _service.List(type, path.Namespace, LabelSelector.Parse(query.LabelSelector),
                    FieldSelector.Parse(query.FieldSelector, type.SelectableFields), query.Limit, query.Continue);
                JsonNode body = asTable
                    ? TableBuilder.Build(type, result.Items, result.ResourceVersion, result.Continue, query.IncludeObject)
                    : metadataOnly == PartialObjectMetadata.Form.List ? PartialObjectMetadata.ListOf(type, result) : ResourceService.ToListObject(type, result);
                await JsonResponse.WriteAsync(context, 200, body, aborted);
                return 200;
            }
            case "create":
            {
                if (path.Name is not null)
                {
                    throw ApiException.MethodNotAllowed("POST is not supported on a named resource");
                }
                var outcome = _service.Create(type, ns, await JsonResponse.ReadAsync(context.Request, aborted), query.DryRun, query.FieldValidation, Manager(context, query));
                context.Items[CreatedNameKey] = outcome.Body["metadata"]?["name"]?.GetValue<string>();
                return await WriteAsync(context, outcome);
            }
            case "update":
            {
                var body = await JsonResponse.ReadAsync(context.Request, aborted);
                var outcome = finalize
                    ? FinalizeNamespace(type, path.Name!, body)
                    : _service.Update(type, ns, path.Name!, path.Subresource, body, query.DryRun, query.FieldValidation, Manager(context, query));
                return await WriteAsync(context, outcome);
            }
            case "patch":
            {
                string contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                // Apply needs an explicit fieldManager (kube refuses one taken from the user agent); other writes default to it.
                string? manager = contentType == ResourceService.ApplyPatchType ? query.FieldManager : Manager(context, query);
                var outcome = _service.Patch(type, ns, path.Name!, path.Subresource, contentType, await JsonResponse.ReadAsync(context.Request, aborted),
                    query.DryRun, query.FieldValidation, manager, query.Force);
                return await WriteAsync(context, outcome);
            }
            case "delete":
            {
                var body = await JsonResponse.ReadAsync(context.Request, aborted) as JsonObject;
                var outcome = _service.Delete(type, ns, path.Name!, DeleteOptions.From(body, query.PropagationPolicy, query.DryRun));
                return await WriteAsync(context, outcome);
            }
            case "deletecollection":
            {
                var body = await JsonResponse.ReadAsync(context.Request, aborted) as JsonObject;
                var list = _service.DeleteCollection(type, path.Namespace, LabelSelector.Parse(query.LabelSelector),
                    FieldSelector.Parse(query.FieldSelector, type.SelectableFields), DeleteOptions.From(body, query.PropagationPolicy, query.DryRun));
                await JsonResponse.WriteAsync(context, 200, list, aborted);
                return 200;
            }
            default:
                throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    /// <summary>PUT …/namespaces/{name}/finalize: drops spec.finalizers the client removed (the namespace controller's call).</summary>
    private WriteOutcome FinalizeNamespace(ResourceType type, string name, JsonNode? body)
    {
        if (body?["spec"]?["finalizers"] is JsonArray { Count: > 0 })
        {
            return new WriteOutcome(_service.Get(type, "", name), 200);
        }
        _service.FinalizeNamespace(type, name);
        return new WriteOutcome(new JsonObject { ["kind"] = "Namespace", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["name"] = name } }, 200);
    }

    /// <summary>The field manager of a write: the <c>fieldManager</c> parameter, else the user agent's prefix (as kube-apiserver).</summary>
    private static string Manager(HttpContext context, QueryOptions query) =>
        query.FieldManager ?? WriteManager.FromUserAgent(context.Request.Headers.UserAgent.ToString());

    private static async Task<int> WriteAsync(HttpContext context, WriteOutcome outcome)
    {
        foreach (string warning in outcome.Warnings)
        {
            // RFC 7234 warn-code 299 with an escaped quoted text, as kube-apiserver sends warnings.
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        await JsonResponse.WriteAsync(context, outcome.StatusCode, outcome.Body, context.RequestAborted);
        return outcome.StatusCode;
    }

    /// <summary>kubectl asks for <c>application/json;as=Table;v=v1;g=meta.k8s.io</c> (and v1beta1) when it prints tables.</summary>
    private static bool WantsTable(HttpRequest request)
    {
        string accept = request.Headers.Accept.ToString();
        return accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);
    }
}
