using System.Globalization;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Builds <see cref="FieldError"/>s with apimachinery's message bodies ("Invalid value: 0: ...").</summary>
internal static class FieldErrors
{
    public static FieldError Required(string path, string detail = "") =>
        new(path, FieldErrorType.Required, WithDetail("Required value", detail));

    /// <param name="value">The bad value, already formatted with <see cref="GoValueFormat"/>; null omits it.</param>
    public static FieldError Invalid(string path, string? value, string detail) =>
        new(path, FieldErrorType.Invalid, WithDetail(WithValue("Invalid value", value), detail));

    public static FieldError TypeInvalid(string path, string value, string detail) =>
        new(path, FieldErrorType.TypeInvalid, WithDetail("Invalid value: " + value, detail));

    public static FieldError NotSupported(string path, string value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoValueFormat.Quote).ToList();
        var detail = quoted.Count == 0 ? "" : "supported values: " + string.Join(", ", quoted);
        return new(path, FieldErrorType.NotSupported, WithDetail("Unsupported value: " + value, detail));
    }

    public static FieldError TooLong(string path, long maxLength) =>
        new(path, FieldErrorType.TooLong, $"Too long: may not be more than {Plural(maxLength, "byte")}");

    public static FieldError TooMany(string path, long actual, long max) =>
        new(path, FieldErrorType.TooMany, $"Too many: {actual.ToString(CultureInfo.InvariantCulture)}: must have at most {Plural(max, "item")}");

    public static FieldError Duplicate(string path, string? value) =>
        new(path, FieldErrorType.Duplicate, WithValue("Duplicate value", value));

    public static FieldError Forbidden(string path, string detail) =>
        new(path, FieldErrorType.Forbidden, WithDetail("Forbidden", detail));

    private static string WithValue(string head, string? value) => value is null ? head : head + ": " + value;

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : head + ": " + detail;

    private static string Plural(long count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");
}
