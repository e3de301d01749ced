using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Turns an openAPIV3Schema into <see cref="SchemaNode"/>s, rejecting what the apiserver would reject as
/// non-structural. allOf/anyOf/oneOf/not are accepted only next to x-kubernetes-int-or-string (where
/// generators emit them and the int-or-string flag already says everything); elsewhere they are refused
/// rather than silently ignored.
/// </summary>
internal static class SchemaParser
{
    private static readonly HashSet<string> KnownTypes = ["object", "array", "string", "integer", "number", "boolean"];

    private static readonly HashSet<string> KnownKeywords =
    [
        "type", "properties", "items", "required", "enum", "default", "nullable", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
        "minProperties", "maxProperties", "pattern", "format", "additionalProperties", "description", "title",
        "example", "externalDocs", "uniqueItems",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
        "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
    ];

    private static readonly HashSet<string> Junctors = ["allOf", "anyOf", "oneOf", "not"];

    public static SchemaNode ParseRoot(JsonObject schema)
    {
        const string path = "openAPIV3Schema";
        var root = Parse(schema, path, ParentKind.Root);
        if (root.Type != "object")
        {
            throw new InvalidSchemaException($"{path}.type: Invalid value: \"{root.Type}\": must be object at the root");
        }
        return root;
    }

    private enum ParentKind
    {
        Root,
        Property,
        Items,
        AdditionalProperties,
    }

    private static SchemaNode Parse(JsonObject schema, string path, ParentKind parent)
    {
        var intOrString = Bool(schema, "x-kubernetes-int-or-string", path);
        foreach (var (key, _) in schema)
        {
            if (Junctors.Contains(key))
            {
                if (!intOrString)
                {
                    throw new InvalidSchemaException($"{path}.{key}: Forbidden: {key} is only supported together with x-kubernetes-int-or-string by this API server double");
                }
            }
            else if (!KnownKeywords.Contains(key))
            {
                throw new InvalidSchemaException($"{path}.{key}: Forbidden: unknown or unsupported schema field");
            }
        }

        var preserveUnknown = Bool(schema, "x-kubernetes-preserve-unknown-fields", path);
        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue && !preserveUnknown)
        {
            throw new InvalidSchemaException($"{path}.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined");
        }
        if (Bool(schema, "uniqueItems", path))
        {
            throw new InvalidSchemaException($"{path}.uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic");
        }

        var type = String(schema, "type", path);
        if (type is null && !intOrString && !preserveUnknown)
        {
            var where = parent switch
            {
                ParentKind.Root => "at the root",
                ParentKind.Items => "for specified array items",
                ParentKind.AdditionalProperties => "for specified additionalProperties",
                _ => "for specified object fields",
            };
            throw new InvalidSchemaException($"{path}.type: Required value: must not be empty {where}");
        }
        if (type is not null && !KnownTypes.Contains(type))
        {
            throw new InvalidSchemaException($"{path}.type: Unsupported value: \"{type}\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"");
        }
        if (intOrString && type is not null)
        {
            throw new InvalidSchemaException($"{path}.type: Invalid value: \"{type}\": must be empty if x-kubernetes-int-or-string is true");
        }

        var embedded = Bool(schema, "x-kubernetes-embedded-resource", path);
        if (embedded && type != "object")
        {
            throw new InvalidSchemaException($"{path}.type: Required value: must be object if x-kubernetes-embedded-resource is true");
        }

        var properties = ParseProperties(schema, path, type);
        var (items, itemsPath) = ParseItems(schema, path, type);
        var (additional, anyValue) = ParseAdditionalProperties(schema, path, type, properties.Count > 0);
        var listType = String(schema, "x-kubernetes-list-type", path);
        var listMapKeys = StringList(schema, "x-kubernetes-list-map-keys", path);
        CheckListType(path, type, listType, listMapKeys, items, itemsPath);
        var mapType = String(schema, "x-kubernetes-map-type", path);
        if (mapType is not null && (mapType is not ("granular" or "atomic") || type != "object"))
        {
            throw new InvalidSchemaException($"{path}.x-kubernetes-map-type: Invalid value: \"{mapType}\": must be granular or atomic on an object schema");
        }

        var patternText = String(schema, "pattern", path);
        return new SchemaNode
        {
            Type = type,
            Nullable = Bool(schema, "nullable", path),
            Properties = properties,
            Items = items,
            AdditionalProperties = additional,
            AdditionalPropertiesAnyValue = anyValue,
            Required = StringList(schema, "required", path),
            Enum = schema["enum"] switch
            {
                null => null,
                JsonArray values => values.Select(v => v?.DeepClone()).ToList(),
                _ => throw new InvalidSchemaException($"{path}.enum: Invalid value: must be an array"),
            },
            HasDefault = schema.ContainsKey("default"),
            Default = schema["default"]?.DeepClone(),
            Minimum = Number(schema, "minimum", path),
            Maximum = Number(schema, "maximum", path),
            ExclusiveMinimum = Bool(schema, "exclusiveMinimum", path),
            ExclusiveMaximum = Bool(schema, "exclusiveMaximum", path),
            MultipleOf = Number(schema, "multipleOf", path),
            MinLength = Count(schema, "minLength", path),
            MaxLength = Count(schema, "maxLength", path),
            MinItems = Count(schema, "minItems", path),
            MaxItems = Count(schema, "maxItems", path),
            MinProperties = Count(schema, "minProperties", path),
            MaxProperties = Count(schema, "maxProperties", path),
            PatternText = patternText,
            Pattern = patternText is null ? null : CompilePattern(patternText, path),
            Format = String(schema, "format", path),
            Description = String(schema, "description", path),
            PreserveUnknownFields = preserveUnknown,
            IntOrString = intOrString,
            EmbeddedResource = embedded,
            ListType = listType,
            ListMapKeys = listMapKeys,
            MapType = mapType,
            Rules = ParseRules(schema, path),
        };
    }

    private static Dictionary<string, SchemaNode> ParseProperties(JsonObject schema, string path, string? type)
    {
        var result = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        if (schema["properties"] is null)
        {
            return result;
        }
        if (schema["properties"] is not JsonObject properties)
        {
            throw new InvalidSchemaException($"{path}.properties: Invalid value: must be an object");
        }
        if (type is not ("object" or null))
        {
            throw new InvalidSchemaException($"{path}.properties: Forbidden: must be empty for type {type}");
        }
        foreach (var (name, value) in properties)
        {
            var propertyPath = $"{path}.properties[{name}]";
            if (value is not JsonObject propertySchema)
            {
                throw new InvalidSchemaException($"{propertyPath}: Invalid value: must be a schema object");
            }
            result[name] = Parse(propertySchema, propertyPath, ParentKind.Property);
        }
        return result;
    }

    private static (SchemaNode? Items, string Path) ParseItems(JsonObject schema, string path, string? type)
    {
        var itemsPath = path + ".items";
        switch (schema["items"])
        {
            case null when type == "array":
                throw new InvalidSchemaException($"{itemsPath}: Required value: must be specified");
            case null:
                return (null, itemsPath);
            case JsonObject items when type is "array" or null:
                return (Parse(items, itemsPath, ParentKind.Items), itemsPath);
            case JsonObject:
                throw new InvalidSchemaException($"{itemsPath}: Forbidden: must be empty for type {type}");
            default:
                throw new InvalidSchemaException($"{itemsPath}: Forbidden: items must be a schema object, not an array");
        }
    }

    private static (SchemaNode? Schema, bool AnyValue) ParseAdditionalProperties(JsonObject schema, string path, string? type, bool hasProperties)
    {
        var node = schema["additionalProperties"];
        if (node is null)
        {
            return (null, false);
        }
        var apPath = path + ".additionalProperties";
        if (type is not ("object" or null))
        {
            throw new InvalidSchemaException($"{apPath}: Forbidden: must be empty for type {type}");
        }
        if (hasProperties)
        {
            throw new InvalidSchemaException($"{apPath}: Forbidden: additionalProperties and properties are mutual exclusive");
        }
        return node switch
        {
            JsonObject apSchema => (Parse(apSchema, apPath, ParentKind.AdditionalProperties), false),
            // false means "no extra keys", which is what an object without additionalProperties already does.
            JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False =>
                (null, value.GetValue<bool>()),
            _ => throw new InvalidSchemaException($"{apPath}: Invalid value: must be a schema or a boolean"),
        };
    }

    private static void CheckListType(string path, string? type, string? listType, List<string> keys, SchemaNode? items, string itemsPath)
    {
        if (listType is null)
        {
            if (keys.Count > 0)
            {
                throw new InvalidSchemaException($"{path}.x-kubernetes-list-map-keys: Forbidden: must be empty if x-kubernetes-list-type is not map");
            }
            return;
        }
        if (type != "array")
        {
            throw new InvalidSchemaException($"{path}.x-kubernetes-list-type: Invalid value: \"{listType}\": must only be used on arrays");
        }
        switch (listType)
        {
            case "atomic":
            case "set":
                if (keys.Count > 0)
                {
                    throw new InvalidSchemaException($"{path}.x-kubernetes-list-map-keys: Forbidden: must be empty if x-kubernetes-list-type is not map");
                }
                if (listType == "set" && items?.Type is "object" or "array" && items.MapType != "atomic" && items.ListType != "atomic")
                {
                    throw new InvalidSchemaException($"{itemsPath}.type: Invalid value: \"{items.Type}\": must be a scalar or atomic type for x-kubernetes-list-type set");
                }
                return;
            case "map":
                if (keys.Count == 0)
                {
                    throw new InvalidSchemaException($"{path}.x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map");
                }
                if (items?.Type != "object")
                {
                    throw new InvalidSchemaException($"{itemsPath}.type: Invalid value: \"{items?.Type}\": must be object if x-kubernetes-list-type is map");
                }
                foreach (var key in keys)
                {
                    if (!items.Properties.TryGetValue(key, out var keySchema))
                    {
                        throw new InvalidSchemaException($"{path}.x-kubernetes-list-map-keys: Invalid value: \"{key}\": entries must all be names of item properties");
                    }
                    if (keySchema.Type is "object" or "array" or null)
                    {
                        throw new InvalidSchemaException($"{itemsPath}.properties[{key}].type: Invalid value: must be a scalar type if used as x-kubernetes-list-map-keys");
                    }
                    if (!items.Required.Contains(key) && !keySchema.HasDefault)
                    {
                        throw new InvalidSchemaException($"{itemsPath}.required: Required value: all map keys must be required or have a default value (\"{key}\")");
                    }
                }
                return;
            default:
                throw new InvalidSchemaException($"{path}.x-kubernetes-list-type: Unsupported value: \"{listType}\": supported values: \"atomic\", \"map\", \"set\"");
        }
    }

    private static List<ValidationRule> ParseRules(JsonObject schema, string path)
    {
        var rules = new List<ValidationRule>();
        if (schema["x-kubernetes-validations"] is null)
        {
            return rules;
        }
        if (schema["x-kubernetes-validations"] is not JsonArray entries)
        {
            throw new InvalidSchemaException($"{path}.x-kubernetes-validations: Invalid value: must be an array");
        }
        for (var i = 0; i < entries.Count; i++)
        {
            var rulePath = $"{path}.x-kubernetes-validations[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (entries[i] is not JsonObject entry)
            {
                throw new InvalidSchemaException($"{rulePath}: Invalid value: must be an object");
            }
            var rule = String(entry, "rule", rulePath);
            if (string.IsNullOrWhiteSpace(rule))
            {
                throw new InvalidSchemaException($"{rulePath}.rule: Required value: rule is not specified");
            }
            var message = String(entry, "message", rulePath);
            if (message is not null && (message.Trim().Length == 0 || message.Contains('\n', StringComparison.Ordinal)))
            {
                throw new InvalidSchemaException($"{rulePath}.message: Invalid value: must be non-empty and contain no line breaks");
            }
            var fieldPath = String(entry, "fieldPath", rulePath);
            rules.Add(new ValidationRule(
                rule,
                message,
                String(entry, "messageExpression", rulePath),
                ParseReason(String(entry, "reason", rulePath), rulePath),
                fieldPath is null ? [] : RuleFieldPathParser.Parse(fieldPath, rulePath),
                Bool(entry, "optionalOldSelf", rulePath)));
        }
        return rules;
    }

    private static FieldErrorType? ParseReason(string? reason, string path) => reason switch
    {
        null => null,
        "FieldValueInvalid" => FieldErrorType.Invalid,
        "FieldValueForbidden" => FieldErrorType.Forbidden,
        "FieldValueRequired" => FieldErrorType.Required,
        "FieldValueDuplicate" => FieldErrorType.Duplicate,
        _ => throw new InvalidSchemaException($"{path}.reason: Unsupported value: \"{reason}\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""),
    };

    private static Regex CompilePattern(string pattern, string path)
    {
        try
        {
            return Re2Pattern.Compile(pattern);
        }
        // NotSupported: a construct RE2 lacks too (backreferences, lookaround), which the apiserver refuses as well.
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new InvalidSchemaException($"{path}.pattern: Invalid value: \"{pattern}\": {e.Message}");
        }
    }

    private static bool Bool(JsonObject schema, string name, string path) => schema[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be a boolean"),
    };

    private static string? String(JsonObject schema, string name, string path) => schema[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be a string"),
    };

    private static double? Number(JsonObject schema, string name, string path) => schema[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValues.AsDouble(v),
        _ => throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be a number"),
    };

    private static long? Count(JsonObject schema, string name, string path)
    {
        var value = Number(schema, name, path);
        if (value is null)
        {
            return null;
        }
        if (value < 0 || value != Math.Floor(value.Value))
        {
            throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be a non-negative integer");
        }
        return (long)value.Value;
    }

    private static List<string> StringList(JsonObject schema, string name, string path)
    {
        switch (schema[name])
        {
            case null:
                return [];
            case JsonArray values:
                var result = new List<string>(values.Count);
                foreach (var value in values)
                {
                    if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    {
                        throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be an array of strings");
                    }
                    result.Add(v.GetValue<string>());
                }
                return result;
            default:
                throw new InvalidSchemaException($"{path}.{name}: Invalid value: must be an array of strings");
        }
    }
}
