namespace ConnectorOperator.Api.Schema;

/// <summary>Inclusive integer bounds: <c>minimum</c> and/or <c>maximum</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    private long? _minimum;
    private long? _maximum;

    public RangeAttribute()
    {
    }

    public RangeAttribute(long minimum, long maximum)
    {
        _minimum = minimum;
        _maximum = maximum;
    }

    /// <summary>Set through named arguments: <c>[Range(Minimum = 0)]</c>.</summary>
    public long Minimum
    {
        get => _minimum ?? long.MinValue;
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
