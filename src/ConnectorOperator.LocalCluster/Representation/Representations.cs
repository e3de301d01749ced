using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Representation;

// SEAM (owned by the kubectl-surface helper): signatures fixed, bodies to be written.

/// <summary>A printer column: a CRD's additionalPrinterColumns entry, or a built-in kind's default column.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Format = null, string? Description = null, int Priority = 0);

/// <summary>meta.k8s.io/v1 Table responses (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).</summary>
public static class TableConverter
{
    /// <summary>Columns for a CRD version: Name first, then its additionalPrinterColumns (Age if it declares none).</summary>
    public static IReadOnlyList<PrinterColumn> ColumnsForCustomResource(JsonArray? additionalPrinterColumns) => throw new NotSupportedException("seam");

    /// <summary>Default columns for a built-in kind (Pod: Name, Ready, Status, Restarts, Age, IP, Node; others: Name, Age, ...).</summary>
    public static IReadOnlyList<PrinterColumn> ColumnsForBuiltIn(string kind) => throw new NotSupportedException("seam");

    /// <param name="includeObject">None, Metadata (default) or Object: what each row's <c>object</c> holds.</param>
    public static JsonObject ToTable(IReadOnlyList<PrinterColumn> columns, IReadOnlyList<JsonObject> objects, string? resourceVersion, string? continueToken, string includeObject, DateTimeOffset now) => throw new NotSupportedException("seam");
}

/// <summary>meta.k8s.io/v1 PartialObjectMetadata(List) responses (Accept: application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io).</summary>
public static class PartialObjectMetadataConverter
{
    public static JsonObject ToPartial(JsonObject obj) => throw new NotSupportedException("seam");

    public static JsonObject ToPartialList(IReadOnlyList<JsonObject> objects, string? resourceVersion, string? continueToken) => throw new NotSupportedException("seam");
}

/// <summary>A kind the double serves, as the OpenAPI documents describe it.</summary>
/// <param name="Schema">openAPIV3Schema for a custom resource; null for a built-in kind (described loosely, with preserve-unknown-fields).</param>
public sealed record ServedKind(string Group, string Version, string Kind, string Plural, bool Namespaced, JsonObject? Schema, bool HasStatus, bool HasScale);

/// <summary>/openapi/v2 and /openapi/v3 documents, enough for kubectl's client-side validation, apply and explain.</summary>
public static class OpenApiDocuments
{
    public static JsonObject V2(IReadOnlyList<ServedKind> kinds) => throw new NotSupportedException("seam");

    /// <summary>The /openapi/v3 index: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}.</summary>
    public static JsonObject V3Index(IReadOnlyList<ServedKind> kinds) => throw new NotSupportedException("seam");

    /// <summary>The document for one group/version (group "" is the core group).</summary>
    public static JsonObject V3GroupVersion(IReadOnlyList<ServedKind> kinds, string group, string version) => throw new NotSupportedException("seam");
}
