namespace ConnectorOperator.Api.Schema;

/// <summary>A string <c>pattern</c> (ECMA-262 as the API server reads it: keep to the RE2/.NET common subset).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
