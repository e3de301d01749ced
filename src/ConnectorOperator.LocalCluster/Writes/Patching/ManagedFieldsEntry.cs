using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>One metadata.managedFields entry: who owns which fields, through which operation.</summary>
internal sealed class ManagedFieldsEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public string? ApiVersion { get; set; }

    public string? Subresource { get; init; }

    public string? Time { get; set; }

    public FieldSet Fields { get; set; } = FieldSet.Empty;

    /// <summary>The apiserver identifies appliers by manager alone, updaters by manager and apiVersion.</summary>
    public bool IsSameManager(string manager, string operation, string? apiVersion, string? subresource = null) =>
        Manager == manager && Operation == operation && Subresource == subresource
        && (operation == Apply || ApiVersion == apiVersion);

    /// <summary>How conflict messages name the manager: <c>"kubectl" using apps/v1</c> for updaters.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (Subresource is not null)
        {
            text += $" with subresource \"{Subresource}\"";
        }

        return Operation == Update && ApiVersion is not null ? text + " using " + ApiVersion : text;
    }

    /// <summary>Reads metadata.managedFields; entries that are not FieldsV1 objects are skipped.</summary>
    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray list)
        {
            return entries;
        }

        foreach (var item in list.OfType<JsonObject>())
        {
            var manager = JsonNodes.AsString(item["manager"]);
            var operation = JsonNodes.AsString(item["operation"]);
            if (manager is null || operation is null)
            {
                continue;
            }

            entries.Add(new ManagedFieldsEntry
            {
                Manager = manager,
                Operation = operation,
                ApiVersion = JsonNodes.AsString(item["apiVersion"]),
                Subresource = JsonNodes.AsString(item["subresource"]),
                Time = JsonNodes.AsString(item["time"]),
                Fields = FieldSet.FromFieldsV1(item["fieldsV1"] as JsonObject),
            });
        }

        return entries;
    }

    /// <summary>Stores the entries as metadata.managedFields (removed when there are none).</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var list = new JsonArray();
        foreach (var entry in entries.Where(e => !e.Fields.IsEmpty))
        {
            var json = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = entry.Fields.ToFieldsV1(),
            };
            if (entry.Subresource is not null)
            {
                json["subresource"] = entry.Subresource;
            }

            list.Add(json);
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        if (list.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = list;
        }
    }
}
