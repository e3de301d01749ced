using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>Builds the 422 Invalid Status with causes, worded like the apiserver's field error lists.</summary>
public static class InvalidObjects
{
    public static ApiStatusException Create(ResourceType resource, string? name, IReadOnlyList<FieldError> errors) =>
        Create(resource.QualifiedKind, resource.Group, resource.Kind, name, errors);

    public static ApiStatusException Create(string qualifiedKind, string group, string kind, string? name, IReadOnlyList<FieldError> errors)
    {
        var lines = errors.Select(e => (e.Path, Body: Body(e))).ToList();
        var joined = lines.Count == 1
            ? Line(lines[0])
            : "[" + string.Join(", ", lines.Select(Line)) + "]";
        var causes = new JsonArray();
        foreach (var (error, line) in errors.Zip(lines))
        {
            causes.Add(new JsonObject { ["reason"] = Reason(error.Type), ["message"] = line.Body, ["field"] = error.Path });
        }

        var details = StatusObjects.Details(name ?? string.Empty, group, kind);
        details["causes"] = causes;
        return new ApiStatusException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", details);

        static string Line((string Path, string Body) l) => l.Path.Length == 0 ? l.Body : $"{l.Path}: {l.Body}";
    }

    public static string Reason(FieldErrorType type) => type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        _ => "FieldValueForbidden",
    };

    // The schema may hand over only the detail; the apiserver's text always starts with the error type's phrase.
    private static string Body(FieldError error)
    {
        var prefix = error.Type switch
        {
            FieldErrorType.Required => "Required value",
            FieldErrorType.Invalid or FieldErrorType.TypeInvalid => "Invalid value",
            FieldErrorType.NotSupported => "Unsupported value",
            FieldErrorType.TooLong => "Too long",
            FieldErrorType.TooMany => "Too many",
            FieldErrorType.Duplicate => "Duplicate value",
            _ => "Forbidden",
        };
        if (error.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return error.Message;
        }

        return error.Message.Length == 0 ? prefix : $"{prefix}: {error.Message}";
    }
}
