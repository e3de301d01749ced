namespace ConnectorOperator.Api.Schema;

/// <summary>
/// On a string map: the <c>pattern</c> and <c>maxLength</c> of its values (the schema's <c>additionalProperties</c>).
/// Keys cannot be constrained in a structural schema; the SpecValidator checks them.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MapValuesAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;

    public long MaxLength { get; set; }
}
