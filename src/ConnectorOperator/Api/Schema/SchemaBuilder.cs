using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Api.Schema;

/// <summary>
/// Walks C# types into an OpenAPI v3 structural schema: classes become objects of their JSON-named public
/// properties, enums string enums, dictionaries maps and lists arrays; the attributes in this folder add the rest.
/// </summary>
internal sealed class SchemaBuilder(SchemaTypeSet types)
{
    public JsonObject ForClass(Type type)
    {
        var registered = types.Get(type).Type;
        var schema = new JsonObject();
        if (registered.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }
        schema["type"] = "object";

        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var property in registered.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }
            var name = JsonName(property);
            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }
        schema["properties"] = properties;
        AddRequired(schema, required);
        AddRules(schema, registered.GetCustomAttributes<CelRulesAttribute>());
        return schema;
    }

    private JsonObject ForProperty(PropertyInfo property)
    {
        var where = $"{property.DeclaringType?.Name}.{property.Name}";
        var schema = ForType(property.PropertyType, property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null, where);
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Text;
        }
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema["default"] = DefaultValue(property.PropertyType, defaultValue.Value, where);
        }
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            Expect(schema, "string", where, "[Pattern]");
            schema["pattern"] = pattern.Pattern;
        }
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            Expect(schema, "integer", where, "[Range]");
            SetIfPresent(schema, "minimum", range.MinimumOrNull);
            SetIfPresent(schema, "maximum", range.MaximumOrNull);
        }
        if (property.GetCustomAttribute<MapValuesAttribute>() is { } mapValues)
        {
            if (schema["additionalProperties"] is not JsonObject values || (string?)values["type"] != "string")
            {
                throw new InvalidOperationException($"{where}: [MapValues] needs a map of strings.");
            }
            values["pattern"] = mapValues.Pattern;
            SetIfPresent(values, "maxLength", mapValues.MaxLength > 0 ? mapValues.MaxLength : null);
        }
        if (property.GetCustomAttribute<SizeAttribute>() is { } size)
        {
            var (min, max) = (string?)schema["type"] switch
            {
                "string" => ("minLength", "maxLength"),
                "array" => ("minItems", "maxItems"),
                "object" when schema.ContainsKey("additionalProperties") => ("minProperties", "maxProperties"),
                _ => throw new InvalidOperationException($"{where}: [Size] needs a string, list or map."),
            };
            SetIfPresent(schema, min, size.MinimumOrNull);
            SetIfPresent(schema, max, size.MaximumOrNull);
        }
        if (property.GetCustomAttribute<ListMapKeyAttribute>() is { } mapKeys)
        {
            Expect(schema, "array", where, "[ListMapKey]");
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray([.. mapKeys.Keys.Select(k => (JsonNode?)k)]);
            // The API server requires list-map keys to be present on every item.
            var items = (JsonObject)schema["items"]!;
            var itemRequired = items["required"] is JsonArray existing ? existing.Select(n => (string)n!).ToList() : [];
            AddRequired(items, itemRequired.Union(mapKeys.Keys));
        }
        AddRules(schema, property.GetCustomAttributes<CelRulesAttribute>());
        return schema;
    }

    private JsonObject ForType(Type type, bool preserveUnknown, string where)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(type) is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(element, preserveUnknown, where) };
        }
        if (preserveUnknown)
        {
            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }
        if (MapValueType(type) is { } value)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(value, preserveUnknown: false, where) };
        }
        if (type.IsEnum)
        {
            var schema = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. Enum.GetNames(type).Select(n => (JsonNode?)n)]) };
            if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
            {
                schema["description"] = description.Text;
            }
            return schema;
        }
        return type switch
        {
            _ when type == typeof(string) => new JsonObject { ["type"] = "string" },
            _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
            // Explicit bounds: the API server stores any integer that parses, and a value the C# type cannot hold
            // would fail every read of the object, not only this field; [Range] narrows them.
            _ when type == typeof(int) => Integer("int32", int.MinValue, int.MaxValue),
            _ when type == typeof(long) => Integer("int64", -MaxSafeInteger, MaxSafeInteger),
            _ when type == typeof(double) => new JsonObject { ["type"] = "number", ["format"] = "double" },
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            _ when type == typeof(JsonElement) || type == typeof(JsonNode) =>
                throw new InvalidOperationException($"{where}: free-form JSON needs [PreserveUnknownFields]."),
            _ when type.IsClass => ForClass(type),
            _ => throw new InvalidOperationException($"{where}: no schema mapping for {type.FullName}."),
        };
    }

    /// <summary>
    /// 2^53 - 1: the largest integer every JSON reader holds exactly (those that read numbers as doubles included,
    /// as JavaScript CEL and a maximum check in double precision do); nothing this operator counts gets near it.
    /// </summary>
    private const long MaxSafeInteger = 9_007_199_254_740_991;

    private static JsonObject Integer(string format, long minimum, long maximum) =>
        new() { ["type"] = "integer", ["format"] = format, ["minimum"] = minimum, ["maximum"] = maximum };

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(ICollection<>) || definition == typeof(IEnumerable<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? MapValueType(Type type)
    {
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        return (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            && arguments[0] == typeof(string)
            ? arguments[1]
            : null;
    }

    private static JsonValue DefaultValue(Type propertyType, object value, string where)
    {
        var type = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        if (type.IsEnum && (value is not string name || !Enum.GetNames(type).Contains(name, StringComparer.Ordinal)))
        {
            throw new InvalidOperationException($"{where}: default {value} is not a member of {type.Name}.");
        }
        return value switch
        {
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            _ => throw new InvalidOperationException($"{where}: unsupported default {value}."),
        };
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static void Expect(JsonObject schema, string type, string where, string attribute)
    {
        if ((string?)schema["type"] != type)
        {
            throw new InvalidOperationException($"{where}: {attribute} needs a {type} property.");
        }
    }

    private static void SetIfPresent(JsonObject schema, string key, long? value)
    {
        if (value is { } v)
        {
            schema[key] = v;
        }
    }

    private static void AddRequired(JsonObject schema, IEnumerable<string> names)
    {
        var sorted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count > 0)
        {
            schema["required"] = new JsonArray([.. sorted.Select(n => (JsonNode?)n)]);
        }
    }

    private static void AddRules(JsonObject schema, IEnumerable<CelRulesAttribute> sources)
    {
        var rules = sources.SelectMany(s => s.Rules()).ToList();
        if (rules.Count == 0)
        {
            return;
        }
        var entries = new JsonArray();
        foreach (var rule in rules)
        {
            var entry = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
            if (rule.FieldPath is not null)
            {
                entry["fieldPath"] = rule.FieldPath;
            }
            if (rule.Reason is not null)
            {
                entry["reason"] = rule.Reason;
            }
            entries.Add((JsonNode)entry);
        }
        schema["x-kubernetes-validations"] = entries;
    }
}
