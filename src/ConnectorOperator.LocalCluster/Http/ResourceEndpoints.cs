using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Security;
using ConnectorOperator.LocalCluster.Selectors;
using ConnectorOperator.LocalCluster.Storage;
using ConnectorOperator.LocalCluster.Writes;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>The REST verbs on resource collections, items and their status/scale subresources.</summary>
internal sealed class ResourceEndpoints(ObjectStore store, WritePipeline writes, WatchStream watches, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, RequestTarget target)
    {
        var resource = target.Resource!;
        var query = new RequestQuery(context.Request.Query);
        var method = context.Request.Method.ToUpperInvariant();
        if (target.Kind == TargetKind.Collection)
        {
            await CollectionAsync(context, target, resource, query, method).ConfigureAwait(false);
            return;
        }

        if (resource.Namespaced && target.Namespace is null)
        {
            throw StatusObjects.PathNotFound();
        }

        switch (target.Subresource)
        {
            case null:
                await ItemAsync(context, target, resource, query, method).ConfigureAwait(false);
                break;
            case "status" when resource.HasStatus:
                await StatusAsync(context, target, resource, query, method).ConfigureAwait(false);
                break;
            case "eviction" when resource.Group.Length == 0 && resource.Plural == "pods" && method == "POST":
                var eviction = await ReadObjectAsync(context).ConfigureAwait(false);
                var evictionOptions = ParseDeleteOptions(eviction["deleteOptions"] as JsonObject, query);
                writes.Evict(resource, target.Namespace!, target.Name!, evictionOptions);
                await ResponseWriter.WriteJsonAsync(context, 201, StatusObjects.Success()).ConfigureAwait(false);
                break;
            case "binding" when resource.Group.Length == 0 && resource.Plural == "pods" && method == "POST":
                await BindAsync(context, target, resource, query).ConfigureAwait(false);
                break;
            case "scale" when resource.Scale is not null:
                await ScaleAsync(context, target, resource, query, method).ConfigureAwait(false);
                break;
            default:
                throw StatusObjects.PathNotFound();
        }
    }

    private async Task CollectionAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query, string method)
    {
        switch (method)
        {
            case "GET":
                var labels = LabelSelector.Parse(query["labelSelector"]);
                var fields = FieldSelector.Parse(query["fieldSelector"], resource);
                var format = Negotiate(context);
                if (query.IsWatch)
                {
                    await watches.ServeAsync(context, resource, target.Namespace, labels, fields, query, format).ConfigureAwait(false);
                    return;
                }

                CheckListVersion(query);
                var page = store.List(resource, target.Namespace, labels, fields, query.Limit, query["continue"]);
                var render = Render(format, resource, query);
                await ResponseWriter.WriteJsonAsync(context, 200, render.List(page.Items, page.ResourceVersion, page.Continue, page.RemainingItemCount)).ConfigureAwait(false);
                return;
            case "POST":
                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                var created = writes.Create(resource, target.Namespace, body, Write(context, query));
                await ResponseWriter.WriteJsonAsync(context, 201, created.Object, created.Warnings).ConfigureAwait(false);
                return;
            case "DELETE":
                var options = await DeleteOptionsAsync(context, query).ConfigureAwait(false);
                var deleted = writes.DeleteCollection(resource, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], resource), options);
                await ResponseWriter.WriteJsonAsync(context, 200, Render(ResponseFormat.Json, resource, query).List(deleted, store.CurrentResourceVersion, null, null)).ConfigureAwait(false);
                return;
            default:
                throw StatusObjects.MethodNotAllowed($"{method} is not supported on {resource.QualifiedResource}");
        }
    }

    private async Task ItemAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query, string method)
    {
        var name = target.Name!;
        switch (method)
        {
            case "GET":
                var format = Negotiate(context);
                if (query.IsWatch)
                {
                    var pinned = FieldSelector.Parse($"metadata.name={name}", resource);
                    await watches.ServeAsync(context, resource, target.Namespace, LabelSelector.Everything, pinned, query, format).ConfigureAwait(false);
                    return;
                }

                var found = store.Get(resource, target.Namespace, name) ?? throw NotFound(resource, name);
                await ResponseWriter.WriteJsonAsync(context, 200, Render(format, resource, query).Object(found)).ConfigureAwait(false);
                return;
            case "PUT":
                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                var updated = writes.Update(resource, target.Namespace, name, body, null, Write(context, query));
                await ResponseWriter.WriteJsonAsync(context, 200, updated.Object, updated.Warnings).ConfigureAwait(false);
                return;
            case "PATCH":
                await PatchAsync(context, target, resource, query, null).ConfigureAwait(false);
                return;
            case "DELETE":
                var options = await DeleteOptionsAsync(context, query).ConfigureAwait(false);
                var result = writes.Delete(resource, target.Namespace, name, options);
                var returnsObject = !result.Removed || (resource.Group.Length == 0 && resource.Plural is "pods" or "services");
                var response = returnsObject
                    ? result.Object
                    : StatusObjects.Success(StatusObjects.Details(name, resource.Group, resource.Plural, ObjectMeta.Uid(result.Object)));
                await ResponseWriter.WriteJsonAsync(context, 200, response).ConfigureAwait(false);
                return;
            default:
                throw StatusObjects.MethodNotAllowed($"{method} is not supported on {resource.QualifiedResource}");
        }
    }

    private async Task StatusAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query, string method)
    {
        var name = target.Name!;
        switch (method)
        {
            case "GET":
                var found = store.Get(resource, target.Namespace, name) ?? throw NotFound(resource, name);
                await ResponseWriter.WriteJsonAsync(context, 200, found).ConfigureAwait(false);
                return;
            case "PUT":
                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                var updated = writes.Update(resource, target.Namespace, name, body, "status", Write(context, query));
                await ResponseWriter.WriteJsonAsync(context, 200, updated.Object, updated.Warnings).ConfigureAwait(false);
                return;
            case "PATCH":
                await PatchAsync(context, target, resource, query, "status").ConfigureAwait(false);
                return;
            default:
                throw StatusObjects.MethodNotAllowed($"{method} is not supported on {resource.QualifiedResource}/status");
        }
    }

    private async Task ScaleAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query, string method)
    {
        var name = target.Name!;
        switch (method)
        {
            case "GET":
                var found = store.Get(resource, target.Namespace, name) ?? throw NotFound(resource, name);
                await ResponseWriter.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(resource, found)).ConfigureAwait(false);
                return;
            case "PUT":
                var scale = await ReadObjectAsync(context).ConfigureAwait(false);
                var updated = writes.Patch(resource, target.Namespace, name, current => ScaleSubresource.Apply(resource, current!, scale), null, Write(context, query));
                await ResponseWriter.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(resource, updated.Object)).ConfigureAwait(false);
                return;
            case "PATCH":
                var text = await BodyParser.ReadTextAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
                var patch = PatchRequest.Create(context.Request.ContentType, text, resource, "Scale", query);
                var patched = writes.Patch(
                    resource,
                    target.Namespace,
                    name,
                    current => ScaleSubresource.Apply(resource, current!, PatchScale(patch, ScaleSubresource.ToScale(resource, current!))),
                    null,
                    Write(context, query));
                await ResponseWriter.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(resource, patched.Object)).ConfigureAwait(false);
                return;
            default:
                throw StatusObjects.MethodNotAllowed($"{method} is not supported on {resource.QualifiedResource}/scale");
        }
    }

    // pods/binding: what the scheduler calls to place a pod; the only way to set spec.nodeName after creation.
    private async Task BindAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query)
    {
        var binding = await ReadObjectAsync(context).ConfigureAwait(false);
        var node = binding["target"]?["name"] is JsonValue value && value.TryGetValue<string>(out var n) && n.Length > 0
            ? n
            : throw InvalidObjects.Create("Binding", string.Empty, "Binding", target.Name, [new Schema.FieldError("target.name", Schema.FieldErrorType.Required, "Required value")]);
        writes.Patch(resource, target.Namespace, target.Name!, current => PodBinding.Bind(resource, current!, target.Name!, node, time.GetUtcNow()), "binding", Write(context, query));
        await ResponseWriter.WriteJsonAsync(context, 201, StatusObjects.Success()).ConfigureAwait(false);
    }

    // A patch of the Scale must not carry the object's resourceVersion along unless the patch itself sets one.
    private static JsonObject PatchScale(PatchRequest patch, JsonObject scale)
    {
        var original = scale["metadata"]?["resourceVersion"]?.GetValue<string>();
        var patched = patch.Apply(scale);
        if (patched["metadata"]?["resourceVersion"]?.GetValue<string>() == original)
        {
            (patched["metadata"] as JsonObject)?.Remove("resourceVersion");
        }

        return patched;
    }

    private async Task PatchAsync(HttpContext context, RequestTarget target, ResourceType resource, RequestQuery query, string? subresource)
    {
        var text = await BodyParser.ReadTextAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var patch = PatchRequest.Create(context.Request.ContentType, text, resource, resource.Kind, query);
        var result = writes.Patch(resource, target.Namespace, target.Name!, patch.Apply, subresource, Write(context, query) with { IsApply = patch.IsApply });
        await ResponseWriter.WriteJsonAsync(context, result.Created ? 201 : 200, result.Object, result.Warnings).ConfigureAwait(false);
    }

    // Lists always show the current state; only the parameters' form is checked.
    private static void CheckListVersion(RequestQuery query)
    {
        var version = query["resourceVersion"];
        var match = query["resourceVersionMatch"];
        if (!string.IsNullOrEmpty(version) && !long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw StatusObjects.BadRequest($"invalid resource version: \"{version}\"");
        }

        if (string.IsNullOrEmpty(match))
        {
            return;
        }

        if (string.IsNullOrEmpty(version))
        {
            throw new ApiStatusException(422, "Invalid", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
        }

        if (match is not ("Exact" or "NotOlderThan"))
        {
            throw new ApiStatusException(422, "Invalid", $"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
        }
    }

    private static WriteOptions Write(HttpContext context, RequestQuery query) =>
        query.WriteOptions(context.Request.Headers.UserAgent.ToString()) with { User = context.Features.Get<UserInfo>() };

    internal static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var contentType = (context.Request.ContentType ?? MediaTypes.Json).Split(';')[0].Trim().ToLowerInvariant();
        if (contentType == ProtobufBodies.MediaType)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return ProtobufBodies.Decode(buffer.ToArray());
        }

        if (contentType is not (MediaTypes.Json or "application/yaml" or "text/yaml" or "application/x-yaml"))
        {
            throw new ApiStatusException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {contentType})");
        }

        var text = await BodyParser.ReadTextAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        return BodyParser.ParseObject(text, contentType != MediaTypes.Json);
    }

    private static async Task<DeleteOptions> DeleteOptionsAsync(HttpContext context, RequestQuery query)
    {
        var text = await BodyParser.ReadTextAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        return ParseDeleteOptions(BodyParser.Parse(text, yaml: false) as JsonObject, query);
    }

    private static DeleteOptions ParseDeleteOptions(JsonObject? body, RequestQuery query)
    {
        try
        {
            return ReadDeleteOptions(body, query);
        }
        catch (InvalidOperationException e)
        {
            throw StatusObjects.BadRequest($"error decoding DeleteOptions: {e.Message}");
        }
    }

    private static DeleteOptions ReadDeleteOptions(JsonObject? body, RequestQuery query)
    {
        var policy = body?["propagationPolicy"]?.GetValue<string>() ?? query["propagationPolicy"];
        var orphan = body?["orphanDependents"]?.GetValue<bool>() ?? (query["orphanDependents"] is { } o ? query.Flag("orphanDependents") : (bool?)null);
        if (policy is null && orphan is not null)
        {
            policy = orphan.Value ? "Orphan" : "Background";
        }

        if (policy is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw StatusObjects.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var dryRun = body?["dryRun"] is JsonArray modes ? modes.Any(m => m?.GetValue<string>() == "All") : query.IsDryRun();
        return new DeleteOptions
        {
            GracePeriodSeconds = body?["gracePeriodSeconds"]?.GetValue<long>() ?? query.Long("gracePeriodSeconds"),
            PropagationPolicy = policy,
            PreconditionUid = body?["preconditions"]?["uid"]?.GetValue<string>(),
            PreconditionResourceVersion = body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            DryRun = dryRun,
        };
    }

    private static ResponseFormat Negotiate(HttpContext context) =>
        MediaTypes.Negotiate(context.Request.Headers.Accept.ToString())
        ?? throw new ApiStatusException(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");

    private Representations Render(ResponseFormat format, ResourceType resource, RequestQuery query) =>
        new(format, resource, query["includeObject"] ?? "Metadata", time.GetUtcNow());

    private static ApiStatusException NotFound(ResourceType resource, string name) =>
        StatusObjects.NotFound(resource.QualifiedResource, resource.Group, resource.Plural, name);
}
