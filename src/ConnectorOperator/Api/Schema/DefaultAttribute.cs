namespace ConnectorOperator.Api.Schema;

/// <summary>The API server fills this <c>default</c> in when the field is absent. Enums take their member name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute : Attribute
{
    public DefaultAttribute(string value) => Value = value;

    public DefaultAttribute(bool value) => Value = value;

    public DefaultAttribute(long value) => Value = value;

    public object Value { get; }
}
