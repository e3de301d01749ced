using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>Turns a CustomResourceDefinition into the resources it serves and the status the apiserver reports for it.</summary>
internal static class CrdDefinition
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    /// <summary>Whether <paramref name="resource"/> is customresourcedefinitions itself.</summary>
    public static bool IsDefinition(ResourceType resource) => resource.Group == "apiextensions.k8s.io" && resource.Plural == "customresourcedefinitions";

    /// <summary>Validates the CRD and parses each served version's schema.</summary>
    /// <exception cref="ApiStatusException">422 Invalid naming the offending field.</exception>
    public static IReadOnlyList<ResourceType> ResourcesOf(JsonObject crd)
    {
        try
        {
            return Parse(crd);
        }
        catch (InvalidOperationException e)
        {
            // A field of the wrong JSON type (e.g. "served": "yes").
            throw InvalidObjects.Create("CustomResourceDefinition.apiextensions.k8s.io", "apiextensions.k8s.io", "CustomResourceDefinition", Text(crd["metadata"]?["name"]),
                [new FieldError("spec", FieldErrorType.TypeInvalid, $"Invalid value: {e.Message}")]);
        }
    }

    private static List<ResourceType> Parse(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>();
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = Text(spec?["group"]);
        var names = spec?["names"] as JsonObject;
        var plural = Text(names?["plural"]);
        var kind = Text(names?["kind"]);
        var scope = Text(spec?["scope"]);
        var versions = spec?["versions"] as JsonArray;
        Require(group, "spec.group");
        Require(plural, "spec.names.plural");
        Require(kind, "spec.names.kind");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new FieldError("spec.scope", FieldErrorType.NotSupported, $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            errors.Add(new FieldError("metadata.name", FieldErrorType.Invalid, $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        if (versions is null || versions.Count == 0)
        {
            errors.Add(new FieldError("spec.versions", FieldErrorType.Invalid, "Invalid value: must have at least one version"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            errors.Add(new FieldError("spec.versions", FieldErrorType.Invalid, "Invalid value: must have exactly one version marked as storage version"));
        }

        if (errors.Count > 0)
        {
            throw InvalidObjects.Create("CustomResourceDefinition.apiextensions.k8s.io", "apiextensions.k8s.io", "CustomResourceDefinition", name, errors);
        }

        var types = new List<ResourceType>();
        for (var i = 0; i < versions!.Count; i++)
        {
            if (versions[i] is not JsonObject version || version["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            types.Add(ResourceOf(crd, version, i, group!, plural!, kind!, scope == "Namespaced", names!));
        }

        return types;

        void Require(string? value, string path)
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(new FieldError(path, FieldErrorType.Required, "Required value"));
            }
        }
    }

    /// <summary>What the apiextensions controllers would write: names accepted, established, stored versions.</summary>
    public static JsonObject StatusOf(JsonObject crd, JsonObject? previousStatus, string now)
    {
        var names = crd["spec"]!["names"]!.DeepClone().AsObject();
        var kind = names["kind"]!.GetValue<string>();
        names["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        var storage = crd["spec"]!["versions"]!.AsArray().First(v => v?["storage"]?.GetValue<bool>() == true)!["name"]!.GetValue<string>();
        var stored = previousStatus?["storedVersions"] as JsonArray is { } previous
            ? previous.Select(v => v!.GetValue<string>()).ToList()
            : [];
        if (!stored.Contains(storage))
        {
            stored.Add(storage);
        }

        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", previousStatus, now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", previousStatus, now)),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray([.. stored.Select(s => (JsonNode)s)]),
        };
    }

    private static ResourceType ResourceOf(JsonObject crd, JsonObject version, int index, string group, string plural, string kind, bool namespaced, JsonObject names)
    {
        var schemaNode = version["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw InvalidObjects.Create("CustomResourceDefinition.apiextensions.k8s.io", "apiextensions.k8s.io", "CustomResourceDefinition", crd["metadata"]?["name"]?.GetValue<string>(),
                [new FieldError($"spec.versions[{index}].schema.openAPIV3Schema", FieldErrorType.Required, "Required value: schemas are required")]);
        StructuralSchema schema;
        try
        {
            schema = StructuralSchema.Parse(schemaNode);
        }
        catch (InvalidSchemaException e)
        {
            throw InvalidObjects.Create("CustomResourceDefinition.apiextensions.k8s.io", "apiextensions.k8s.io", "CustomResourceDefinition", crd["metadata"]?["name"]?.GetValue<string>(),
                [new FieldError($"spec.versions[{index}].schema.openAPIV3Schema", FieldErrorType.Invalid, e.Message)]);
        }

        var subresources = version["subresources"] as JsonObject;
        var scale = subresources?["scale"] as JsonObject;
        return new ResourceType
        {
            Group = group,
            Version = version["name"]!.GetValue<string>(),
            Kind = kind,
            Plural = plural,
            Singular = Text(names["singular"]) ?? kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            HasStatus = subresources?["status"] is not null,
            Scale = scale is null ? null : new ScalePaths(
                Text(scale["specReplicasPath"]) ?? ".spec.replicas",
                Text(scale["statusReplicasPath"]) ?? ".status.replicas",
                Text(scale["labelSelectorPath"])),
            IsCustom = true,
            Schema = schema,
            OpenApiSchema = schemaNode.DeepClone().AsObject(),
            PrinterColumns = version["additionalPrinterColumns"]?.DeepClone() as JsonArray,
            SelectableFields = version["selectableFields"] is JsonArray selectable
                ? [.. selectable.Select(s => Text(s?["jsonPath"])?.TrimStart('.')).OfType<string>()]
                : [],
        };
    }

    private static JsonObject Condition(string type, string reason, string message, JsonObject? previousStatus, string now)
    {
        var previous = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == type);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = previous is not null && Text(previous["status"]) == "True" ? previous["lastTransitionTime"]?.DeepClone() : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string[] Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(Text).OfType<string>()] : [];
}
