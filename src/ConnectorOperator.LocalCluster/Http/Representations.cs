using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Representation;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Renders objects and lists in the negotiated representation (plain, Table, PartialObjectMetadata).</summary>
internal sealed class Representations(ResponseFormat format, ResourceType resource, string includeObject, DateTimeOffset now)
{
    public JsonObject Object(JsonObject obj) => format switch
    {
        ResponseFormat.Table => TableConverter.ToTable(Columns(), [obj], null, null, includeObject, now),
        ResponseFormat.PartialObjectMetadata => PartialObjectMetadataConverter.ToPartial(obj),
        _ => obj,
    };

    public JsonObject List(IReadOnlyList<JsonObject> items, long resourceVersion, string? continueToken, long? remaining)
    {
        var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
        switch (format)
        {
            case ResponseFormat.Table:
                return TableConverter.ToTable(Columns(), items, rv, continueToken, includeObject, now);
            case ResponseFormat.PartialObjectMetadata:
                return PartialObjectMetadataConverter.ToPartialList(items, rv, continueToken);
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        return new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items]),
        };
    }

    /// <summary>A bookmark in a Table watch is an empty table carrying the resourceVersion.</summary>
    public JsonObject Bookmark(JsonObject bookmark) => format switch
    {
        ResponseFormat.Table => TableConverter.ToTable(Columns(), [], bookmark["metadata"]?["resourceVersion"]?.GetValue<string>(), null, includeObject, now),
        ResponseFormat.PartialObjectMetadata => PartialObjectMetadataConverter.ToPartial(bookmark),
        _ => bookmark,
    };

    private IReadOnlyList<PrinterColumn> Columns() =>
        resource.IsCustom ? TableConverter.ColumnsForCustomResource(resource.PrinterColumns) : TableConverter.ColumnsForBuiltIn(resource.Kind);
}
