using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Writes.Validation;

/// <summary>The per-kind bits of the built-in registry strategies that clients can observe.</summary>
internal static partial class BuiltInStrategies
{
    private static int _nextServiceIp = 10;

    /// <summary>Server-set fields on create: pod phase Pending, namespace phase Active, service clusterIP.</summary>
    public static void PrepareForCreate(ResourceType resource, JsonObject obj)
    {
        if (resource.IsCustom || resource.Group.Length != 0)
        {
            return;
        }

        switch (resource.Plural)
        {
            case "pods":
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
                break;
            case "namespaces":
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "services":
                var spec = obj["spec"] as JsonObject ?? [];
                obj["spec"] = spec;
                if (spec["type"]?.GetValue<string>() != "ExternalName" && spec["clusterIP"] is null)
                {
                    var n = Interlocked.Increment(ref _nextServiceIp);
                    var ip = $"10.96.{n / 250}.{(n % 250) + 1}";
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }

                spec["type"] ??= "ClusterIP";
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
        }
    }

    /// <summary>Normalisations applied on every write: empty metadata collections go, a Secret defaults to type Opaque and its stringData folds into base64 data.</summary>
    public static void Normalize(ResourceType resource, JsonObject obj)
    {
        ObjectMeta.DropEmpty(obj);
        if (resource.Group.Length == 0 && resource.Plural == "secrets")
        {
            obj["type"] ??= "Opaque";
        }

        if (resource.Group.Length == 0 && resource.Plural == "secrets" && obj["stringData"] is JsonObject stringData)
        {
            var data = obj["data"] as JsonObject ?? [];
            obj["data"] = data;
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
            }

            obj.Remove("stringData");
        }
    }

    /// <summary>Checks the names the apiserver checks for every kind, plus a pod's containers.</summary>
    public static void Validate(ResourceType resource, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var name = ObjectMeta.Name(obj) ?? string.Empty;
        var nameIsLabel = !resource.IsCustom && resource.Plural is "namespaces" or "services";
        if (name.Length == 0)
        {
            errors.Add(new FieldError("metadata.name", FieldErrorType.Required, "Required value: name or generateName is required"));
        }
        else if (resource.Group == BuiltInResources.RbacGroup)
        {
            // RBAC names are path segments ("system:basic-user" is valid).
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                errors.Add(new FieldError("metadata.name", FieldErrorType.Invalid, $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'"));
            }
        }
        else if (nameIsLabel ? !DnsLabel().IsMatch(name) || name.Length > 63 : !DnsSubdomain().IsMatch(name) || name.Length > 253)
        {
            errors.Add(new FieldError("metadata.name", FieldErrorType.Invalid, nameIsLabel
                ? $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }

        if (obj["metadata"]?["labels"] is JsonObject labels && labels.Any(l => l.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            errors.Add(new FieldError("metadata.labels", FieldErrorType.Invalid, "Invalid value: label values must be strings"));
        }

        if (!resource.IsCustom && resource.Group.Length == 0 && resource.Plural == "pods")
        {
            if (obj["spec"]?["containers"] is not JsonArray containers || containers.Count == 0)
            {
                errors.Add(new FieldError("spec.containers", FieldErrorType.Required, "Required value"));
            }
            else
            {
                for (var i = 0; i < containers.Count; i++)
                {
                    if (containers[i]?["name"] is null)
                    {
                        errors.Add(new FieldError($"spec.containers[{i}].name", FieldErrorType.Required, "Required value"));
                    }

                    if (containers[i]?["image"] is null)
                    {
                        errors.Add(new FieldError($"spec.containers[{i}].image", FieldErrorType.Required, "Required value"));
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw InvalidObjects.Create(resource, name, errors);
        }
    }

    /// <summary>Pod specs are immutable apart from images, activeDeadlineSeconds, tolerations and scheduling gates (binding sets nodeName).</summary>
    public static void ValidateUpdate(ResourceType resource, JsonObject old, JsonObject next)
    {
        if (resource.IsCustom || resource.Group.Length != 0 || resource.Plural != "pods")
        {
            return;
        }

        if (!JsonNode.DeepEquals(MutablePartsRemoved(old["spec"]), MutablePartsRemoved(next["spec"])))
        {
            throw InvalidObjects.Create(resource, ObjectMeta.Name(old), [new FieldError("spec", FieldErrorType.Forbidden,
                "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")]);
        }
    }

    private static JsonNode? MutablePartsRemoved(JsonNode? spec)
    {
        if (spec is not JsonObject source)
        {
            return spec?.DeepClone();
        }

        var copy = source.DeepClone().AsObject();
        foreach (var field in new[] { "activeDeadlineSeconds", "tolerations", "schedulingGates" })
        {
            copy.Remove(field);
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (copy[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                container.Remove("image");
            }
        }

        return copy;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
