namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>What the API accepts in a field, by kind of value.</summary>
internal enum FieldKind
{
    Identifier,
    OptionalIdentifier,
    Digits,
    DnsName,
    SecretKey,
    HttpUrl,
    WebhookUrl,
    Text,
    LabelValue,
    Quantity,
    Integer,
    Flag,
    Choice,
    Nested,
    List,
    Map,
}

/// <summary>
/// A spec field the fuzzer writes to and the oracle judges. Path is under spec (see <see cref="SpecPath"/>); Min and
/// Max bound a string's characters, an integer's value, a list's items or a map's entries; Sample is a valid value
/// for the field when it has to be created.
/// </summary>
internal sealed record FuzzField(object[] Path, FieldKind Kind, bool Required = false, long Min = 0, long Max = 0, string[]? Values = null, string? Sample = null)
{
    public bool IsString => Kind is FieldKind.Identifier or FieldKind.OptionalIdentifier or FieldKind.Digits or FieldKind.DnsName
        or FieldKind.SecretKey or FieldKind.HttpUrl or FieldKind.WebhookUrl or FieldKind.Text or FieldKind.LabelValue or FieldKind.Quantity or FieldKind.Choice;
}
