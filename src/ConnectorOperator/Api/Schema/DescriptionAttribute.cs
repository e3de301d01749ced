namespace ConnectorOperator.Api.Schema;

/// <summary>The schema description users see in <c>kubectl explain</c>; on a type, the default for properties of that type.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Enum)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
