using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes.Patching;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// One validation pass over an object: OpenAPI value checks everywhere, collecting every error, then all
/// x-kubernetes-validations rules of the pass in one batch to the CEL evaluator (see <see cref="BlocksRules"/>
/// for when a node's rules are skipped).
/// </summary>
internal sealed class SchemaValidator
{
    private readonly List<FieldError> _errors = [];
    private readonly List<PendingRule> _pending = [];
    private readonly bool _collectRules;

    private SchemaValidator(bool collectRules) => _collectRules = collectRules;

    public static IReadOnlyList<FieldError> Validate(SchemaNode root, JsonObject obj, JsonObject? oldObj, ICelEvaluator? cel)
    {
        var validator = new SchemaValidator(collectRules: cel is not null);
        validator.ValidateNode(root, obj, new OldValue(oldObj, oldObj is not null), "", isRoot: true);
        if (cel is not null && validator._pending.Count > 0)
        {
            validator.RunRules(cel);
        }
        return validator._errors;
    }

    /// <summary>The value this node had before the update; <see cref="Exists"/> false on create or when newly added.</summary>
    private readonly record struct OldValue(JsonNode? Value, bool Exists)
    {
        public static readonly OldValue None = new(null, false);

        // An old null counts as absent, as it does for the apiserver's transition rules.
        public OldValue Child(string name) =>
            Value is JsonObject obj && obj[name] is { } child ? new OldValue(child, true) : None;
    }

    private sealed record PendingRule(ValidationRule Rule, SchemaNode Schema, string Path, CelCheck Check, CelCheckContext Context);

    private void ValidateNode(SchemaNode schema, JsonNode? value, OldValue old, string path, bool isRoot = false)
    {
        var errorsBefore = _errors.Count;
        if (value is null)
        {
            ValidateNull(schema, path);
            return;
        }
        if (!HasValidType(schema, value, path))
        {
            return;
        }

        ValidateEnum(schema, value, path);
        switch (value)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, old, path, isRoot);
                break;
            case JsonArray array:
                ValidateArray(schema, array, old, path);
                break;
            case JsonValue scalar when JsonNodes.AsString(scalar) is { } text:
                ValidateString(schema, text, path);
                break;
            case JsonValue scalar:
                ValidateNumber(schema, scalar, path);
                break;
        }

        if (_collectRules && !BlocksRules(errorsBefore, path))
        {
            QueueRules(schema, value, old, path);
        }
    }

    /// <summary>
    /// A node's rules are written against a well-typed value: they are skipped when the node's own checks failed
    /// or a value below it has the wrong type or an unsupported value (the apiserver's "blocking" errors).
    /// Other failures below it (bounds, required children, ...) do not stop them.
    /// </summary>
    private bool BlocksRules(int errorsBefore, string path)
    {
        for (var i = errorsBefore; i < _errors.Count; i++)
        {
            var error = _errors[i];
            if (error.Path == path || error.Type is FieldErrorType.TypeInvalid or FieldErrorType.NotSupported)
            {
                return true;
            }
        }
        return false;
    }

    private void ValidateNull(SchemaNode schema, string path)
    {
        var expected = schema.IntOrString ? "integer,string" : schema.Type;
        if (!schema.Nullable && expected is not null)
        {
            _errors.Add(FieldErrors.TypeInvalid(path, GoValueFormat.Quote("null"), $"{path} in body must be of type {expected}: \"null\""));
        }
    }

    private bool HasValidType(SchemaNode schema, JsonNode value, string path)
    {
        var kind = JsonValues.KindName(value);
        string expected;
        if (schema.IntOrString)
        {
            if (kind is "integer" or "string")
            {
                return true;
            }
            expected = "integer,string";
        }
        else if (schema.Type is null || schema.Type == kind || (schema.Type == "number" && kind == "integer"))
        {
            return true;
        }
        else
        {
            expected = schema.Type;
        }
        _errors.Add(FieldErrors.TypeInvalid(path, GoValueFormat.Quote(kind), $"{path} in body must be of type {expected}: {GoValueFormat.Quote(kind)}"));
        return false;
    }

    private void ValidateEnum(SchemaNode schema, JsonNode value, string path)
    {
        if (schema.Enum is not { } allowed || allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            return;
        }
        var supported = allowed.Select(a => JsonNodes.AsString(a) ?? GoValueFormat.Json(a));
        _errors.Add(FieldErrors.NotSupported(path, GoValueFormat.ErrorValue(value), supported));
    }

    private void ValidateString(SchemaNode schema, string text, string path)
    {
        var bad = GoValueFormat.Quote(text);
        var length = text.EnumerateRunes().Count();
        if (schema.MaxLength is { } max && length > max)
        {
            _errors.Add(FieldErrors.TooLong(path, max));
        }
        if (schema.MinLength is { } min && length < min)
        {
            _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be at least {Count(min)} chars long"));
        }
        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should match '{schema.PatternText}'"));
        }
        if (schema.Type == "string" && schema.Format is { } format && !StringFormats.IsValid(format, text))
        {
            _errors.Add(FieldErrors.TypeInvalid(path, bad, $"{path} in body must be of type {format}: {bad}"));
        }
    }

    private void ValidateNumber(SchemaNode schema, JsonValue scalar, string path)
    {
        if (schema.Type is not ("integer" or "number"))
        {
            return;
        }
        var number = JsonValues.AsDouble(scalar);
        var bad = scalar.ToJsonString();
        if (schema.Maximum is { } max)
        {
            if (schema.ExclusiveMaximum && number >= max)
            {
                _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be less than {GoValueFormat.Number(max)}"));
            }
            else if (number > max)
            {
                _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be less than or equal to {GoValueFormat.Number(max)}"));
            }
        }
        if (schema.Minimum is { } min)
        {
            if (schema.ExclusiveMinimum && number <= min)
            {
                _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be greater than {GoValueFormat.Number(min)}"));
            }
            else if (number < min)
            {
                _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be greater than or equal to {GoValueFormat.Number(min)}"));
            }
        }
        if (schema.MultipleOf is { } factor && factor > 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9 * Math.Max(1, Math.Abs(number)))
        {
            _errors.Add(FieldErrors.Invalid(path, bad, $"{path} in body should be a multiple of {GoValueFormat.Number(factor)}"));
        }
    }

    private void ValidateArray(SchemaNode schema, JsonArray array, OldValue old, string path)
    {
        if (schema.MaxItems is { } max && array.Count > max)
        {
            _errors.Add(FieldErrors.TooMany(path, array.Count, max));
        }
        if (schema.MinItems is { } min && array.Count < min)
        {
            _errors.Add(FieldErrors.Invalid(path, Count(array.Count), $"{path} in body should have at least {Count(min)} items"));
        }
        switch (schema.ListType)
        {
            case "set":
                ReportDuplicates(array, path, item => item, GoValueFormat.ErrorValue);
                break;
            case "map":
                ReportDuplicates(array, path, item => MapKey(item, schema), GoValueFormat.ErrorValue);
                break;
        }
        if (schema.Items is not { } items)
        {
            return;
        }
        for (var i = 0; i < array.Count; i++)
        {
            ValidateNode(items, array[i], OldListItem(schema, array[i], old), FieldPath.Index(path, i));
        }
    }

    // Like the apiserver, only the second occurrence of a value is reported, not every later repeat.
    private void ReportDuplicates(JsonArray array, string path, Func<JsonNode?, JsonNode?> identity, Func<JsonNode?, string> describe)
    {
        var seen = new List<(JsonNode? Id, int Count)>();
        for (var i = 0; i < array.Count; i++)
        {
            var id = identity(array[i]);
            var index = seen.FindIndex(s => JsonNode.DeepEquals(s.Id, id));
            if (index < 0)
            {
                seen.Add((id, 1));
                continue;
            }
            seen[index] = (id, seen[index].Count + 1);
            if (seen[index].Count == 2)
            {
                _errors.Add(FieldErrors.Duplicate(FieldPath.Index(path, i), describe(id)));
            }
        }
    }

    /// <summary>The key fields of a list-type=map item, as the object apimachinery reports in Duplicate errors.</summary>
    private static JsonObject MapKey(JsonNode? item, SchemaNode schema)
    {
        var key = new JsonObject();
        foreach (var name in schema.ListMapKeys)
        {
            if (item is JsonObject obj && obj.TryGetPropertyValue(name, out var part))
            {
                key[name] = part?.DeepClone();
            }
        }
        return key;
    }

    /// <summary>Only list-type=map items can be matched to their old selves (by key); other lists have no oldSelf per item.</summary>
    private static OldValue OldListItem(SchemaNode schema, JsonNode? item, OldValue old)
    {
        if (schema.ListType != "map" || old.Value is not JsonArray oldArray)
        {
            return OldValue.None;
        }
        var key = MapKey(item, schema);
        var match = oldArray.FirstOrDefault(o => JsonNode.DeepEquals(MapKey(o, schema), key));
        return match is null ? OldValue.None : new OldValue(match, true);
    }

    private void ValidateObject(SchemaNode schema, JsonObject obj, OldValue old, string path, bool isRoot)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                _errors.Add(FieldErrors.Required(FieldPath.Child(path, name)));
            }
        }
        if (schema.MaxProperties is { } max && obj.Count > max)
        {
            _errors.Add(FieldErrors.TooMany(path, obj.Count, max));
        }
        if (schema.MinProperties is { } min && obj.Count < min)
        {
            _errors.Add(FieldErrors.Invalid(path, Count(obj.Count), $"{path} in body should have at least {Count(min)} properties"));
        }
        if (schema.EmbeddedResource)
        {
            RequireNonEmpty(obj, path, "apiVersion");
            RequireNonEmpty(obj, path, "kind");
        }

        foreach (var (name, child) in obj)
        {
            if (schema.Properties.TryGetValue(name, out var property))
            {
                ValidateNode(property, child, old.Child(name), FieldPath.Child(path, name));
            }
            else if (schema.AdditionalProperties is { } valueSchema && !(isRoot && name is "apiVersion" or "kind" or "metadata"))
            {
                ValidateNode(valueSchema, child, old.Child(name), FieldPath.Key(path, name));
            }
        }
    }

    private void RequireNonEmpty(JsonObject obj, string path, string name)
    {
        if (string.IsNullOrEmpty(JsonNodes.AsString(obj[name])))
        {
            _errors.Add(FieldErrors.Required(FieldPath.Child(path, name), "must not be empty"));
        }
    }

    private void QueueRules(SchemaNode schema, JsonNode value, OldValue old, string path)
    {
        foreach (var rule in schema.Rules)
        {
            if (rule.IsTransitionRule && !old.Exists && !rule.OptionalOldSelf)
            {
                continue;
            }
            var bindOld = rule.IsTransitionRule && old.Exists;
            var check = new CelCheck(rule.Rule, value, bindOld ? old.Value : null, bindOld, rule.MessageExpression);
            _pending.Add(new PendingRule(rule, schema, path, check, new CelCheckContext(schema.CelTypeHint, rule.OptionalOldSelf)));
        }
    }

    private void RunRules(ICelEvaluator cel)
    {
        var checks = _pending.Select(p => p.Check).ToList();
        var results = cel is ISchemaAwareCelEvaluator schemaAware
            ? schemaAware.Evaluate(checks, _pending.Select(p => p.Context).ToList())
            : cel.Evaluate(checks);
        if (results.Count != checks.Count)
        {
            throw new InvalidOperationException($"The CEL evaluator returned {results.Count} results for {checks.Count} checks.");
        }
        for (var i = 0; i < results.Count; i++)
        {
            if (!results[i].Passed)
            {
                _errors.Add(RuleError(_pending[i], results[i]));
            }
        }
    }

    // Mirrors the apiserver: evaluation problems are reported at the rule's node with the schema type as the
    // value; a false rule at its fieldPath, showing scalar values but omitting object and array values.
    private static FieldError RuleError(PendingRule pending, CelResult result)
    {
        var rule = pending.Rule;
        var ruleText = rule.Message?.Trim() ?? rule.Rule.Trim();
        if (result.Error is { } error)
        {
            var detail = error.StartsWith(CompileErrorPrefix, StringComparison.Ordinal) ? error : $"{error} evaluating rule: {ruleText}";
            return FieldErrors.Invalid(pending.Path, GoValueFormat.Quote(pending.Schema.TypeNameForErrors), detail);
        }
        var path = FieldPath.Append(pending.Path, rule.FieldPath);
        var message = result.Message ?? (rule.Message is null ? "failed rule: " + ruleText : ruleText);
        var value = pending.Check.Self is JsonObject or JsonArray ? null : GoValueFormat.ErrorValue(pending.Check.Self);
        return rule.Reason switch
        {
            FieldErrorType.Forbidden => FieldErrors.Forbidden(path, message),
            FieldErrorType.Required => FieldErrors.Required(path, message),
            FieldErrorType.Duplicate => FieldErrors.Duplicate(path, value),
            _ => FieldErrors.Invalid(path, value, message),
        };
    }

    private const string CompileErrorPrefix = "rule compile error: ";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
