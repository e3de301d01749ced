using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>/openapi/v2 and /openapi/v3 documents, enough for kubectl's client-side validation, apply and explain.</summary>
/// <remarks>
/// kubectl reads /openapi/v3, fetches each group version through its serverRelativeURL (relative to the server, hash
/// included), finds schemas and operations by x-kubernetes-group-version-kind, and checks the PATCH operation of a
/// kind for the fieldValidation parameter to decide on server-side field validation. Documents are deterministic:
/// kinds are sorted, so the same kinds always give the same bytes and the same hash.
/// </remarks>
public static class OpenApiDocuments
{
    private const string Title = "Kubernetes";
    private const string InfoVersion = "v1.32.0";

    /// <summary>A swagger 2.0 document for every served kind.</summary>
    public static JsonObject V2(IReadOnlyList<ServedKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var schemas = new OpenApiSchemas(openApiV3: false);
        var operations = new OpenApiOperations(openApiV3: false, schemas);
        var sorted = Sorted(kinds);
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = Title, ["version"] = InfoVersion },
            ["paths"] = Paths(sorted, operations),
            ["definitions"] = Definitions(sorted, schemas),
        };
    }

    /// <summary>The /openapi/v3 index: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}.</summary>
    public static JsonObject V3Index(IReadOnlyList<ServedKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var paths = new JsonObject();
        foreach (var (group, version) in kinds.Select(k => (k.Group, k.Version)).Distinct().OrderBy(gv => OpenApiNaming.GroupVersionKey(gv.Group, gv.Version), StringComparer.Ordinal))
        {
            var key = OpenApiNaming.GroupVersionKey(group, version);
            paths[key] = new JsonObject
            {
                ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(V3GroupVersion(kinds, group, version))}",
            };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for one group/version (group "" is the core group); it has no paths or kinds when none are served there.</summary>
    public static JsonObject V3GroupVersion(IReadOnlyList<ServedKind> kinds, string group, string version)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var schemas = new OpenApiSchemas(openApiV3: true);
        var operations = new OpenApiOperations(openApiV3: true, schemas);
        var served = Sorted(kinds.Where(k => k.Group == group && k.Version == version));
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = Title, ["version"] = InfoVersion },
            ["paths"] = Paths(served, operations),
            ["components"] = new JsonObject { ["schemas"] = Definitions(served, schemas) },
        };
    }

    /// <summary>The ETag-like hash in serverRelativeURL: SHA-512 of the document, upper-case hex, as the apiserver computes it.</summary>
    internal static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));

    private static List<ServedKind> Sorted(IEnumerable<ServedKind> kinds) =>
        [.. kinds.OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Version, StringComparer.Ordinal).ThenBy(k => k.Kind, StringComparer.Ordinal)];

    private static JsonObject Paths(List<ServedKind> kinds, OpenApiOperations operations)
    {
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            foreach (var (path, item) in operations.For(kind))
            {
                paths[path] = item;
            }
        }

        var json = new JsonObject();
        foreach (var (path, item) in paths)
        {
            json[path] = item;
        }

        return json;
    }

    private static JsonObject Definitions(List<ServedKind> kinds, OpenApiSchemas schemas)
    {
        var definitions = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            var name = OpenApiNaming.Definition(kind);
            definitions[name] = schemas.ForKind(kind);
            definitions[name + "List"] = schemas.ListOf(kind);
        }

        foreach (var (name, schema) in schemas.MetaTypes(includeScale: kinds.Any(k => k.HasScale)))
        {
            definitions[name] = schema;
        }

        var json = new JsonObject();
        foreach (var (name, schema) in definitions)
        {
            json[name] = schema;
        }

        return json;
    }
}
