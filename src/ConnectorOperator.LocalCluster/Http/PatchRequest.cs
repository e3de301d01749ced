using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Turns a PATCH body and its Content-Type into a function from the current object to the patched one.</summary>
/// <remarks>The parsed patch is shared with no one and the patch algorithms copy what they take from it, so it is passed as it is.</remarks>
internal sealed class PatchRequest
{
    private PatchRequest(Func<JsonObject?, JsonObject> apply, bool isApply)
    {
        Apply = apply;
        IsApply = isApply;
    }

    public Func<JsonObject?, JsonObject> Apply { get; }

    /// <summary>Server-side apply: creates the object when it does not exist.</summary>
    public bool IsApply { get; }

    /// <param name="kind">The kind patched: the resource's kind, or "Scale".</param>
    /// <exception cref="ApiStatusException">400 (bad body, missing fieldManager) or 415 (unsupported patch type).</exception>
    public static PatchRequest Create(string? contentType, string body, ResourceType resource, string kind, RequestQuery query)
    {
        var mediaType = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        switch (mediaType)
        {
            case "application/json-patch+json":
                var operations = BodyParser.Parse(body, yaml: false) as JsonArray
                    ?? throw StatusObjects.BadRequest("json patch must be a JSON array of operations");
                return new PatchRequest(current => AsObject(JsonPatch.Apply(Require(current), operations)), false);
            case "application/merge-patch+json":
                var merge = BodyParser.Parse(body, yaml: false);
                return new PatchRequest(current => AsObject(JsonMergePatch.Apply(Require(current), merge)), false);
            case "application/strategic-merge-patch+json":
                if (resource.IsCustom)
                {
                    throw StatusObjects.UnsupportedMediaType(mediaType);
                }

                var strategic = BodyParser.Parse(body, yaml: false) ?? new JsonObject();
                return new PatchRequest(current => AsObject(StrategicMergePatch.Apply(Require(current), strategic, kind)), false);
            case "application/apply-patch+yaml" or "application/apply-patch+json":
                var manager = query["fieldManager"];
                if (string.IsNullOrEmpty(manager))
                {
                    throw new ApiStatusException(400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                }

                var applied = BodyParser.ParseObject(body, yaml: true);
                var force = query.Flag("force");
                return new PatchRequest(current => ServerSideApply.Apply(current, applied, manager, force, kind), true);
            default:
                throw StatusObjects.UnsupportedMediaType(mediaType);
        }
    }

    private static JsonObject Require(JsonObject? current) => current ?? throw new InvalidOperationException("only apply patches create objects");

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw new PatchException(422, "the patch produced something that is not an object");
}
