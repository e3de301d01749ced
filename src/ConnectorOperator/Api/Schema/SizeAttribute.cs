namespace ConnectorOperator.Api.Schema;

/// <summary>
/// Size bounds read by the property's type: string length (<c>minLength</c>/<c>maxLength</c>), list items
/// (<c>minItems</c>/<c>maxItems</c>) or map entries (<c>minProperties</c>/<c>maxProperties</c>).
/// Bounds also keep the API server's CEL cost estimates of rules over these values finite.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SizeAttribute : Attribute
{
    private long? _minimum;
    private long? _maximum;

    public long Minimum
    {
        get => _minimum ?? 0;
        set => _minimum = value;
    }

    public long Maximum
    {
        get => _maximum ?? long.MaxValue;
        set => _maximum = value;
    }

    internal long? MinimumOrNull => _minimum;

    internal long? MaximumOrNull => _maximum;
}
