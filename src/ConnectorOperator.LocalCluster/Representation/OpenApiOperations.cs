using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>
/// Path items for a served kind: collection (list, create), item (read, replace, patch, delete) and the status and
/// scale subresources. Every operation names its kind in x-kubernetes-group-version-kind (an object here, unlike
/// schemas' list): kubectl looks for the PATCH operation of a kind and its <c>fieldValidation</c> query parameter to
/// decide whether the server validates fields itself.
/// </summary>
/// <remarks>
/// PATCH bodies never list application/strategic-merge-patch+json: custom resources do not accept it, and for the
/// built-in kinds (described loosely here) kubectl would try to compute strategic patches from these schemas. Without
/// it kubectl apply falls back to the merge keys compiled into it, which are the real types' ones.
/// </remarks>
internal sealed class OpenApiOperations(bool openApiV3, OpenApiSchemas schemas)
{
    private static readonly string[] PatchContentTypes =
        ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"];

    public IEnumerable<(string Path, JsonObject Item)> For(ServedKind kind)
    {
        var definition = OpenApiNaming.Definition(kind);
        var listDefinition = definition + "List";
        var (collection, item) = OpenApiNaming.ResourcePaths(kind);
        var gvk = (kind.Group, kind.Version, kind.Kind);

        yield return (collection, PathItem(kind.Namespaced, named: false, new JsonObject
        {
            ["get"] = Operation("list", "list or watch objects of kind " + kind.Kind, gvk, listDefinition, Query("limit", "continue", "labelSelector", "fieldSelector", "resourceVersion", "watch", "timeoutSeconds", "allowWatchBookmarks", "sendInitialEvents")),
            ["post"] = WithBody(Operation("post", "create " + kind.Kind, gvk, definition, Query("dryRun", "fieldManager", "fieldValidation")), definition),
        }));

        yield return (item, PathItem(kind.Namespaced, named: true, new JsonObject
        {
            ["get"] = Operation("get", "read the specified " + kind.Kind, gvk, definition, []),
            ["put"] = WithBody(Operation("put", "replace the specified " + kind.Kind, gvk, definition, Query("dryRun", "fieldManager", "fieldValidation")), definition),
            ["patch"] = Patch(Operation("patch", "partially update the specified " + kind.Kind, gvk, definition, Query("dryRun", "fieldManager", "fieldValidation", "force"))),
            ["delete"] = Operation("delete", "delete " + kind.Kind, gvk, OpenApiNaming.Status, Query("dryRun", "gracePeriodSeconds", "propagationPolicy")),
        }));

        if (kind.HasStatus)
        {
            yield return (item + "/status", PathItem(kind.Namespaced, named: true, new JsonObject
            {
                ["get"] = Operation("get", "read status of the specified " + kind.Kind, gvk, definition, []),
                ["put"] = WithBody(Operation("put", "replace status of the specified " + kind.Kind, gvk, definition, Query("dryRun", "fieldManager", "fieldValidation")), definition),
                ["patch"] = Patch(Operation("patch", "partially update status of the specified " + kind.Kind, gvk, definition, Query("dryRun", "fieldManager", "fieldValidation", "force"))),
            }));
        }

        if (kind.HasScale)
        {
            var scale = ("autoscaling", "v1", "Scale");
            yield return (item + "/scale", PathItem(kind.Namespaced, named: true, new JsonObject
            {
                ["get"] = Operation("get", "read scale of the specified " + kind.Kind, scale, OpenApiNaming.Scale, []),
                ["put"] = WithBody(Operation("put", "replace scale of the specified " + kind.Kind, scale, OpenApiNaming.Scale, Query("dryRun", "fieldManager", "fieldValidation")), OpenApiNaming.Scale),
                ["patch"] = Patch(Operation("patch", "partially update scale of the specified " + kind.Kind, scale, OpenApiNaming.Scale, Query("dryRun", "fieldManager", "fieldValidation", "force"))),
            }));
        }
    }

    private JsonObject PathItem(bool namespaced, bool named, JsonObject operations)
    {
        var parameters = new JsonArray();
        if (named)
        {
            parameters.Add(PathParameter("name", "name of the object"));
        }

        if (namespaced)
        {
            parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects"));
        }

        parameters.Add(QueryParameter("pretty"));
        operations["parameters"] = parameters;
        return operations;
    }

    private JsonObject Operation(string action, string description, (string Group, string Version, string Kind) gvk, string responseDefinition, JsonArray parameters)
    {
        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = action + gvk.Kind,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = Response("OK", responseDefinition),
                ["401"] = new JsonObject { ["description"] = "Unauthorized" },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = gvk.Group, ["kind"] = gvk.Kind, ["version"] = gvk.Version },
        };
        if (!openApiV3)
        {
            operation["consumes"] = new JsonArray("*/*");
            operation["produces"] = new JsonArray("application/json", "application/yaml");
        }

        return operation;
    }

    private JsonObject Response(string description, string definition)
    {
        if (!openApiV3)
        {
            return new JsonObject { ["description"] = description, ["schema"] = schemas.Ref(definition) };
        }

        var content = new JsonObject();
        foreach (var mediaType in new[] { "application/json", "application/yaml" })
        {
            content[mediaType] = new JsonObject { ["schema"] = schemas.Ref(definition) };
        }

        return new JsonObject { ["description"] = description, ["content"] = content };
    }

    private JsonObject WithBody(JsonObject operation, string definition)
    {
        if (openApiV3)
        {
            operation["requestBody"] = new JsonObject
            {
                ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = schemas.Ref(definition) } },
                ["required"] = true,
            };
        }
        else
        {
            ((JsonArray)operation["parameters"]!).Add(new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = true, ["schema"] = schemas.Ref(definition) });
        }

        return operation;
    }

    private JsonObject Patch(JsonObject operation)
    {
        if (openApiV3)
        {
            var content = new JsonObject();
            foreach (var mediaType in PatchContentTypes)
            {
                content[mediaType] = new JsonObject { ["schema"] = schemas.Ref(OpenApiNaming.Patch) };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }
        else
        {
            operation["consumes"] = new JsonArray([.. PatchContentTypes.Select(t => (JsonNode?)t)]);
            ((JsonArray)operation["parameters"]!).Add(new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = true, ["schema"] = schemas.Ref(OpenApiNaming.Patch) });
        }

        return operation;
    }

    private JsonArray Query(params string[] names)
    {
        var parameters = new JsonArray();
        foreach (var name in names)
        {
            parameters.Add(QueryParameter(name));
        }

        return parameters;
    }

    private JsonObject QueryParameter(string name)
    {
        var type = name switch
        {
            "limit" or "timeoutSeconds" or "gracePeriodSeconds" => "integer",
            "watch" or "allowWatchBookmarks" or "sendInitialEvents" or "force" => "boolean",
            _ => "string",
        };
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["description"] = QueryDescription(name),
        };
        if (openApiV3)
        {
            parameter["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
        }
        else
        {
            parameter["type"] = type;
            parameter["uniqueItems"] = true;
        }

        return parameter;
    }

    private JsonObject PathParameter(string name, string description)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "path",
            ["description"] = description,
            ["required"] = true,
        };
        if (openApiV3)
        {
            parameter["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true };
        }
        else
        {
            parameter["type"] = "string";
            parameter["uniqueItems"] = true;
        }

        return parameter;
    }

    private static string QueryDescription(string name) => name switch
    {
        "fieldValidation" => "Ignore, Warn or Strict: how the server treats unknown or duplicate fields in the request.",
        "fieldManager" => "A name for the actor making the change, recorded in managedFields.",
        "force" => "Apply only: take over fields other managers own instead of failing with a conflict.",
        "dryRun" => "All: validate and default, but do not persist.",
        "pretty" => "If 'true', the output is pretty printed.",
        _ => $"The {name} parameter of the Kubernetes API.",
    };
}
