using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;

namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>meta.k8s.io/v1 Table responses (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).</summary>
/// <remarks>
/// Cells follow the apiserver: for CRD columns, <c>date</c> values become ages ("5m") like its cellForJSONValue does,
/// <c>integer</c>/<c>number</c>/<c>boolean</c> cells are JSON values (null when the value has another type), and
/// <c>string</c> cells print whatever was found. A missing value is a null cell. Priority &gt; 0 columns are
/// still sent; kubectl shows them only with -o wide.
/// </remarks>
public static class TableConverter
{
    private const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.";

    private const string AgeDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC.";

    private static readonly PrinterColumn NameColumn = new("Name", "string", ".metadata.name", "name", NameDescription);

    private static readonly PrinterColumn BuiltInAge = new("Age", "string", BuiltInCells.Age, null, AgeDescription);

    /// <summary>Columns for a CRD version: Name first, then its additionalPrinterColumns (Age if it declares none).</summary>
    public static IReadOnlyList<PrinterColumn> ColumnsForCustomResource(JsonArray? additionalPrinterColumns)
    {
        var columns = new List<PrinterColumn> { NameColumn };
        var declared = additionalPrinterColumns?.OfType<JsonObject>().ToList() ?? [];
        if (declared.Count == 0)
        {
            columns.Add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp", null, AgeDescription));
            return columns;
        }

        foreach (var column in declared)
        {
            columns.Add(new PrinterColumn(
                JsonNodes.AsString(column["name"]) ?? "",
                JsonNodes.AsString(column["type"]) ?? "string",
                JsonNodes.AsString(column["jsonPath"]) ?? JsonNodes.AsString(column["JSONPath"]) ?? "",
                JsonNodes.AsString(column["format"]),
                JsonNodes.AsString(column["description"]),
                (int)(JsonNodes.AsInteger(column["priority"]) ?? 0)));
        }

        return columns;
    }

    /// <summary>Default columns for a built-in kind, as kubectl get shows them (priority 1 = -o wide only).</summary>
    /// <remarks>Pod: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates; Secret: Name, Type, Data, Age;
    /// ConfigMap: Name, Data, Age; Namespace: Name, Status, Age; Event: Last Seen, Type, Reason, Object, Message (+ wide);
    /// Lease: Name, Holder, Age; PodDisruptionBudget: Name, Min Available, Max Unavailable, Allowed Disruptions, Age;
    /// CustomResourceDefinition: Name, Created At; anything else: Name, Age.</remarks>
    public static IReadOnlyList<PrinterColumn> ColumnsForBuiltIn(string kind) => kind switch
    {
        "Pod" =>
        [
            NameColumn,
            new("Ready", "string", BuiltInCells.PodReady, null, "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", BuiltInCells.PodStatus, null, "The aggregate status of the containers in this pod."),
            new("Restarts", "string", BuiltInCells.PodRestarts, null, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            BuiltInAge,
            new("IP", "string", BuiltInCells.PodIp, null, "IP address allocated to the pod.", 1),
            new("Node", "string", BuiltInCells.OrNonePrefix + ".spec.nodeName", null, "Name of the node the pod is scheduled onto.", 1),
            new("Nominated Node", "string", BuiltInCells.OrNonePrefix + ".status.nominatedNodeName", null, "Name of the node the pod is nominated to run on when it preempts others.", 1),
            new("Readiness Gates", "string", BuiltInCells.PodReadinessGates, null, "Readiness gates met out of those declared.", 1),
        ],
        "Secret" =>
        [
            NameColumn,
            new("Type", "string", ".type", null, "Used to facilitate programmatic handling of secret data."),
            new("Data", "integer", BuiltInCells.DataCount, null, "The number of keys in the secret's data."),
            BuiltInAge,
        ],
        "ConfigMap" =>
        [
            NameColumn,
            new("Data", "integer", BuiltInCells.DataCount, null, "The number of keys in data and binaryData."),
            BuiltInAge,
        ],
        "Namespace" =>
        [
            NameColumn,
            new("Status", "string", ".status.phase", null, "The phase of the namespace: Active or Terminating."),
            BuiltInAge,
        ],
        "Event" =>
        [
            new("Last Seen", "string", BuiltInCells.EventLastSeen, null, "Time since the event was last observed."),
            new("Type", "string", ".type", null, "Type of this event (Normal, Warning)."),
            new("Reason", "string", ".reason", null, "Why the action was taken, in UpperCamelCase."),
            new("Object", "string", BuiltInCells.EventObject, null, "The object this event is about."),
            new("Subobject", "string", BuiltInCells.EventSubobject, null, "The part of the object this event is about.", 1),
            new("Source", "string", BuiltInCells.EventSource, null, "The component reporting this event.", 1),
            new("Message", "string", BuiltInCells.EventMessage, null, "A human-readable description of the status of this operation."),
            new("First Seen", "string", BuiltInCells.EventFirstSeen, null, "Time since the event was first observed.", 1),
            new("Count", "string", BuiltInCells.EventCount, null, "The number of times this event has occurred.", 1),
            new("Name", "string", ".metadata.name", "name", NameDescription, 1),
        ],
        "Lease" =>
        [
            NameColumn,
            new("Holder", "string", BuiltInCells.OrNonePrefix + ".spec.holderIdentity", null, "The identity of the current holder of the lease."),
            BuiltInAge,
        ],
        "PodDisruptionBudget" =>
        [
            NameColumn,
            new("Min Available", "string", BuiltInCells.PdbMinAvailable, null, "Pods that must remain available after an eviction."),
            new("Max Unavailable", "string", BuiltInCells.PdbMaxUnavailable, null, "Pods that may be unavailable after an eviction."),
            new("Allowed Disruptions", "integer", ".status.disruptionsAllowed", null, "Number of pod disruptions that are currently allowed."),
            BuiltInAge,
        ],
        "CustomResourceDefinition" =>
        [
            NameColumn,
            new("Created At", "date", BuiltInCells.CreatedAt, null, AgeDescription),
        ],
        _ => [NameColumn, BuiltInAge],
    };

    /// <param name="columns">From <see cref="ColumnsForCustomResource"/> or <see cref="ColumnsForBuiltIn"/>.</param>
    /// <param name="objects">The rows' objects; not changed.</param>
    /// <param name="includeObject">None, Metadata (default) or Object: what each row's <c>object</c> holds.</param>
    /// <param name="now">The reference for ages.</param>
    public static JsonObject ToTable(IReadOnlyList<PrinterColumn> columns, IReadOnlyList<JsonObject> objects, string? resourceVersion, string? continueToken, string includeObject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(objects);
        var definitions = new JsonArray();
        foreach (var column in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format ?? "",
                ["description"] = column.Description ?? "",
                ["priority"] = column.Priority,
            });
        }

        var queries = columns.Select(c => BuiltInCells.IsMarker(c.JsonPath) ? null : TryParse(c.JsonPath)).ToList();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            for (var i = 0; i < columns.Count; i++)
            {
                cells.Add(BuiltInCells.IsMarker(columns[i].JsonPath)
                    ? BuiltInCells.Compute(columns[i].JsonPath, obj, now)
                    : Cell(columns[i], queries[i], obj, now));
            }

            var row = new JsonObject { ["cells"] = cells };
            var rowObject = RowObject(obj, includeObject);
            if (rowObject is not null)
            {
                row["object"] = rowObject;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = ListMeta(resourceVersion, continueToken),
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    internal static JsonObject ListMeta(string? resourceVersion, string? continueToken)
    {
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return metadata;
    }

    private static JsonObject? RowObject(JsonObject obj, string? includeObject)
    {
        if (string.Equals(includeObject, "None", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return string.Equals(includeObject, "Object", StringComparison.OrdinalIgnoreCase)
            ? (JsonObject)obj.DeepClone()
            : PartialObjectMetadataConverter.ToPartial(obj);
    }

    private static JsonPathQuery? TryParse(string jsonPath)
    {
        try
        {
            return JsonPathQuery.Parse(jsonPath);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static JsonNode? Cell(PrinterColumn column, JsonPathQuery? query, JsonObject obj, DateTimeOffset now)
    {
        var value = query?.EvaluateFirst(obj);
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        return column.Type switch
        {
            "integer" when kind == JsonValueKind.Number => JsonNodes.AsInteger(value),
            "number" when kind == JsonValueKind.Number => JsonValue.Create(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => value.DeepClone(),
            "date" when kind == JsonValueKind.String => HumanDuration.Since(value.GetValue<string>(), now),
            "string" => kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
            _ => null,
        };
    }
}
