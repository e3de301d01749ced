using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>meta/v1 Status bodies and the common failures, worded like the real apiserver.</summary>
public static class StatusObjects
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    public static JsonObject Details(string? name, string group, string kind, string? uid = null)
    {
        var details = new JsonObject();
        if (name is not null)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return details;
    }

    public static ApiStatusException NotFound(string qualifiedResource, string group, string resource, string name) =>
        new(404, "NotFound", $"{qualifiedResource} \"{name}\" not found", Details(name, group, resource));

    public static ApiStatusException AlreadyExists(string qualifiedResource, string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{qualifiedResource} \"{name}\" already exists", Details(name, group, resource));

    public static ApiStatusException Conflict(string qualifiedResource, string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {qualifiedResource} \"{name}\": {why}", Details(name, group, resource));

    public static ApiStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiStatusException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiStatusException PathNotFound() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiStatusException Gone(string message) => new(410, "Expired", message);

    public static ApiStatusException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public const string StaleObjectMessage = "the object has been modified; please apply your changes to the latest version and try again";
}
