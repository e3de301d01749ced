using System.Text.Json.Nodes;

namespace ConnectorOperator.Api.Schema;

/// <summary>Builds an apiextensions.k8s.io/v1 CustomResourceDefinition from a <see cref="CrdDefinition"/> and its C# types.</summary>
public static class CrdGenerator
{
    public static JsonObject Generate(CrdDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var resource = definition.Resource;
        var builder = new SchemaBuilder(definition.Types);

        var version = new JsonObject
        {
            ["name"] = resource.Version,
            ["served"] = true,
            ["storage"] = true,
            ["schema"] = new JsonObject { ["openAPIV3Schema"] = RootSchema(definition, builder) },
            ["subresources"] = Subresources(definition.Scale),
        };
        if (definition.PrinterColumns.Count > 0)
        {
            version["additionalPrinterColumns"] = new JsonArray([.. definition.PrinterColumns.Select(PrinterColumn)]);
        }

        var names = new JsonObject
        {
            ["kind"] = resource.Kind,
            ["listKind"] = resource.Kind + "List",
            ["plural"] = resource.Plural,
            ["singular"] = definition.Singular,
        };
        if (definition.ShortNames.Count > 0)
        {
            names["shortNames"] = Strings(definition.ShortNames);
        }
        if (definition.Categories.Count > 0)
        {
            names["categories"] = Strings(definition.Categories);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{resource.Plural}.{resource.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = resource.Group,
                ["names"] = names,
                ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new JsonArray(version),
            },
        };
    }

    /// <summary>The file name controller-gen would use: <c>{group}_{plural}.yaml</c>.</summary>
    public static string FileName(CrdDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return $"{definition.Resource.Group}_{definition.Resource.Plural}.yaml";
    }

    private static JsonObject RootSchema(CrdDefinition definition, SchemaBuilder builder)
    {
        var spec = builder.ForClass(definition.SpecType);
        var status = builder.ForClass(definition.StatusType);
        return new JsonObject
        {
            ["description"] = definition.Description,
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject
                {
                    ["description"] = "The versioned schema of this representation of an object.",
                    ["type"] = "string",
                },
                ["kind"] = new JsonObject
                {
                    ["description"] = "The REST resource this object represents.",
                    ["type"] = "string",
                },
                ["metadata"] = new JsonObject { ["type"] = "object" },
                ["spec"] = spec,
                ["status"] = status,
            },
            ["required"] = new JsonArray("spec"),
        };
    }

    private static JsonObject Subresources(ScaleSubresource? scale)
    {
        var subresources = new JsonObject { ["status"] = new JsonObject() };
        if (scale is not null)
        {
            var scaleNode = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
            };
            if (scale.LabelSelectorPath is not null)
            {
                scaleNode["labelSelectorPath"] = scale.LabelSelectorPath;
            }
            subresources["scale"] = scaleNode;
        }
        return subresources;
    }

    private static JsonNode PrinterColumn(PrinterColumn column)
    {
        var node = new JsonObject
        {
            ["name"] = column.Name,
            ["type"] = column.Type,
            ["jsonPath"] = column.JsonPath,
            ["description"] = column.Description,
        };
        if (column.Priority != 0)
        {
            node["priority"] = column.Priority;
        }
        return node;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}
