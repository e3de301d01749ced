using System.Globalization;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes;
using Microsoft.AspNetCore.Http;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Typed access to the query parameters of list, watch, write and delete calls.</summary>
internal sealed class RequestQuery(IQueryCollection query)
{
    public string? this[string name] => query.TryGetValue(name, out var value) ? value.ToString() : null;

    public bool Flag(string name) => this[name] is "true" or "1" or "True";

    public bool IsWatch => Flag("watch");

    public int Limit => Long("limit") is { } limit ? (int)Math.Clamp(limit, 0, int.MaxValue) : 0;

    public long? Long(string name)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StatusObjects.BadRequest($"invalid value for {name}: \"{text}\"");
    }

    /// <param name="userAgent">Names the field manager when the query does not (its program name, up to the first '/').</param>
    public WriteOptions WriteOptions(string? userAgent = null) => new()
    {
        DryRun = IsDryRun(),
        FieldValidation = this["fieldValidation"] switch
        {
            null or "" or "Warn" => FieldValidationMode.Warn,
            "Strict" => FieldValidationMode.Strict,
            "Ignore" => FieldValidationMode.Ignore,
            var other => throw StatusObjects.BadRequest($"fieldValidation parameter unsupported: \"{other}\" (must be one of Ignore, Warn, Strict)"),
        },
        FieldManager = this["fieldManager"] is { Length: > 0 } manager ? manager : DefaultManager(userAgent),
        IsApply = false,
    };

    private static string DefaultManager(string? userAgent)
    {
        var name = (userAgent ?? string.Empty).Split('/')[0].Trim();
        return name.Length == 0 ? "unknown" : name[..Math.Min(name.Length, 128)];
    }

    public bool IsDryRun() => this["dryRun"] switch
    {
        null or "" => false,
        "All" => true,
        var other => throw StatusObjects.BadRequest($"dryRun: Unsupported value: \"{other}\": supported values: \"All\""),
    };
}
