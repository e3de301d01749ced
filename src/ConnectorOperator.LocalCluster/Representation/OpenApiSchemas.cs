using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>The schemas the documents carry: each served kind (and its List), and the meta/v1 types they refer to.</summary>
/// <remarks>
/// Built-in kinds are described loosely (apiVersion, kind, metadata, then x-kubernetes-preserve-unknown-fields): the
/// double does not carry their full schemas. CRD schemas are embedded as given, with metadata pointing at ObjectMeta
/// like the apiserver publishes them; for swagger 2.0 the keywords it cannot express (nullable, anyOf, oneOf, not)
/// are dropped, as the apiserver does for /openapi/v2.
/// </remarks>
internal sealed class OpenApiSchemas(bool openApiV3)
{
    private static readonly string[] V2UnsupportedKeywords = ["nullable", "anyOf", "oneOf", "not"];

    private string RefPrefix => openApiV3 ? "#/components/schemas/" : "#/definitions/";

    public JsonObject Ref(string definition) => new() { ["$ref"] = RefPrefix + definition };

    /// <summary>A property that refers to another schema: V3 wraps the $ref in allOf so siblings (description, default) stay legal.</summary>
    private JsonObject RefProperty(string definition, string description)
    {
        if (!openApiV3)
        {
            var v2 = Ref(definition);
            v2["description"] = description;
            return v2;
        }

        return new JsonObject
        {
            ["allOf"] = new JsonArray(Ref(definition)),
            ["default"] = new JsonObject(),
            ["description"] = description,
        };
    }

    public static JsonArray GroupVersionKind(string group, string version, string kind) =>
        [new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version }];

    public JsonObject ForKind(ServedKind kind)
    {
        var schema = kind.Schema is null ? LooseObject(kind.Kind) : Embedded(kind.Schema);
        var properties = (JsonObject)schema["properties"]!;
        properties["apiVersion"] = ApiVersionProperty();
        properties["kind"] = KindProperty();
        properties["metadata"] = RefProperty(OpenApiNaming.ObjectMeta, "Standard object's metadata.");
        schema["x-kubernetes-group-version-kind"] = GroupVersionKind(kind.Group, kind.Version, kind.Kind);
        return schema;
    }

    public JsonObject ListOf(ServedKind kind) => new()
    {
        ["description"] = $"{kind.Kind}List is a list of {kind.Kind}.",
        ["type"] = "object",
        ["required"] = new JsonArray("items"),
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = ApiVersionProperty(),
            ["items"] = new JsonObject
            {
                ["description"] = $"List of {kind.Plural}.",
                ["type"] = "array",
                ["items"] = Ref(OpenApiNaming.Definition(kind)),
            },
            ["kind"] = KindProperty(),
            ["metadata"] = RefProperty(OpenApiNaming.ListMeta, "Standard list metadata."),
        },
        ["x-kubernetes-group-version-kind"] = GroupVersionKind(kind.Group, kind.Version, kind.Kind + "List"),
    };

    /// <summary>ObjectMeta and the types it and the operations refer to.</summary>
    public IEnumerable<(string Name, JsonObject Schema)> MetaTypes(bool includeScale)
    {
        yield return (OpenApiNaming.ListMeta, new JsonObject
        {
            ["description"] = "ListMeta describes metadata that synthetic resources must have, including lists.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["continue"] = StringProperty("Set when the list was truncated; pass it back to get the next page."),
                ["remainingItemCount"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                ["resourceVersion"] = StringProperty("The version of the list, for watches."),
                ["selfLink"] = StringProperty("Deprecated."),
            },
        });
        yield return (OpenApiNaming.ManagedFieldsEntry, new JsonObject
        {
            ["description"] = "ManagedFieldsEntry records the fields a workflow (field manager) owns.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = StringProperty("The version of the resource the fields were set through."),
                ["fieldsType"] = StringProperty("The format of fieldsV1; only \"FieldsV1\"."),
                ["fieldsV1"] = new JsonObject { ["description"] = "The owned fields.", ["type"] = "object" },
                ["manager"] = StringProperty("The workflow managing these fields."),
                ["operation"] = StringProperty("Apply or Update."),
                ["subresource"] = StringProperty("The subresource the fields were written through, if any."),
                ["time"] = DateTimeProperty("When the fields were last changed."),
            },
        });
        yield return (OpenApiNaming.ObjectMeta, ObjectMeta());
        yield return (OpenApiNaming.OwnerReference, new JsonObject
        {
            ["description"] = "OwnerReference identifies an owning object, which must be in the same namespace.",
            ["type"] = "object",
            ["required"] = new JsonArray("apiVersion", "kind", "name", "uid"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = StringProperty("API version of the referent."),
                ["blockOwnerDeletion"] = new JsonObject { ["type"] = "boolean" },
                ["controller"] = new JsonObject { ["type"] = "boolean" },
                ["kind"] = StringProperty("Kind of the referent."),
                ["name"] = StringProperty("Name of the referent."),
                ["uid"] = StringProperty("UID of the referent."),
            },
            ["x-kubernetes-map-type"] = "atomic",
        });
        yield return (OpenApiNaming.Patch, new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        });
        yield return (OpenApiNaming.Status, new JsonObject
        {
            ["description"] = "Status is a return value for calls that don't return other objects.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = ApiVersionProperty(),
                ["code"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                ["details"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                ["kind"] = KindProperty(),
                ["message"] = StringProperty("A human-readable description of the status of this operation."),
                ["metadata"] = RefProperty(OpenApiNaming.ListMeta, "Standard list metadata."),
                ["reason"] = StringProperty("A machine-readable description of why this operation is in the Failure status."),
                ["status"] = StringProperty("Success or Failure."),
            },
            ["x-kubernetes-group-version-kind"] = GroupVersionKind("", "v1", "Status"),
        });
        if (includeScale)
        {
            yield return (OpenApiNaming.Scale, new JsonObject
            {
                ["description"] = "Scale represents a scaling request for a resource.",
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = ApiVersionProperty(),
                    ["kind"] = KindProperty(),
                    ["metadata"] = RefProperty(OpenApiNaming.ObjectMeta, "Standard object metadata."),
                    ["spec"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["replicas"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" } },
                    },
                    ["status"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("replicas"),
                        ["properties"] = new JsonObject
                        {
                            ["replicas"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                            ["selector"] = StringProperty("Label query over the pods, in the serialized selector form."),
                        },
                    },
                },
                ["x-kubernetes-group-version-kind"] = GroupVersionKind("autoscaling", "v1", "Scale"),
            });
        }
    }

    private JsonObject ObjectMeta() => new()
    {
        ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["annotations"] = StringMap("Unstructured key value map stored with a resource."),
            ["creationTimestamp"] = DateTimeProperty("When the object was created (server-set, read-only)."),
            ["deletionGracePeriodSeconds"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
            ["deletionTimestamp"] = DateTimeProperty("When the object will be deleted (server-set, read-only)."),
            ["finalizers"] = new JsonObject
            {
                ["description"] = "Must be empty before the object is deleted from the registry.",
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
                ["x-kubernetes-list-type"] = "set",
                ["x-kubernetes-patch-strategy"] = "merge",
            },
            ["generateName"] = StringProperty("Prefix for a server-generated name."),
            ["generation"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
            ["labels"] = StringMap("Map of string keys and values that can be used to organize and categorize objects."),
            ["managedFields"] = new JsonObject
            {
                ["description"] = "Which workflow owns which fields.",
                ["type"] = "array",
                ["items"] = openApiV3 ? new JsonObject { ["allOf"] = new JsonArray(Ref(OpenApiNaming.ManagedFieldsEntry)), ["default"] = new JsonObject() } : Ref(OpenApiNaming.ManagedFieldsEntry),
                ["x-kubernetes-list-type"] = "atomic",
            },
            ["name"] = StringProperty("Name must be unique within a namespace."),
            ["namespace"] = StringProperty("The namespace the object lives in; empty for cluster-scoped objects."),
            ["ownerReferences"] = new JsonObject
            {
                ["description"] = "Objects this object depends on.",
                ["type"] = "array",
                ["items"] = openApiV3 ? new JsonObject { ["allOf"] = new JsonArray(Ref(OpenApiNaming.OwnerReference)), ["default"] = new JsonObject() } : Ref(OpenApiNaming.OwnerReference),
                ["x-kubernetes-list-map-keys"] = new JsonArray("uid"),
                ["x-kubernetes-list-type"] = "map",
                ["x-kubernetes-patch-merge-key"] = "uid",
                ["x-kubernetes-patch-strategy"] = "merge",
            },
            ["resourceVersion"] = StringProperty("Opaque version, for optimistic concurrency and watches."),
            ["selfLink"] = StringProperty("Deprecated."),
            ["uid"] = StringProperty("Unique identifier, server-set."),
        },
    };

    private JsonObject Embedded(JsonObject crdSchema)
    {
        var schema = (JsonObject)crdSchema.DeepClone();
        if (!openApiV3)
        {
            StripForSwagger2(schema);
        }

        schema["type"] ??= "object";
        if (schema["properties"] is not JsonObject)
        {
            schema["properties"] = new JsonObject();
        }

        return schema;
    }

    private static JsonObject LooseObject(string kind) => new()
    {
        ["description"] = $"{kind} (a built-in kind; this server describes only its type and object metadata).",
        ["type"] = "object",
        ["properties"] = new JsonObject(),
        ["x-kubernetes-preserve-unknown-fields"] = true,
    };

    private static void StripForSwagger2(JsonObject schema)
    {
        foreach (var keyword in V2UnsupportedKeywords)
        {
            schema.Remove(keyword);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    StripForSwagger2(childSchema);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            StripForSwagger2(items);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            StripForSwagger2(additional);
        }

        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf.OfType<JsonObject>())
            {
                StripForSwagger2(part);
            }
        }
    }

    private static JsonObject ApiVersionProperty() =>
        StringProperty("APIVersion defines the versioned schema of this representation of an object; servers convert recognized schemas to the latest internal value and may reject unrecognized values.");

    private static JsonObject KindProperty() =>
        StringProperty("Kind is a string value representing the REST resource this object represents, in CamelCase; it cannot be updated.");

    private static JsonObject StringProperty(string description) =>
        new() { ["description"] = description, ["type"] = "string" };

    private static JsonObject DateTimeProperty(string description) =>
        new() { ["description"] = description, ["type"] = "string", ["format"] = "date-time" };

    private static JsonObject StringMap(string description) => new()
    {
        ["description"] = description,
        ["type"] = "object",
        ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
    };
}
