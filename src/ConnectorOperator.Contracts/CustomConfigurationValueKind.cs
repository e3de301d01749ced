namespace ConnectorOperator.Contracts;

/// <summary>How a custom configuration value (always a string on the wire) is read.</summary>
public enum CustomConfigurationValueKind
{
    /// <summary>A whole number, optionally bounded, in <see cref="CustomConfigurationEntry.Unit"/>.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c> (any letter case).</summary>
    Boolean,

    /// <summary>One of <see cref="CustomConfigurationEntry.AllowedValues"/>, exactly as written there.</summary>
    Enum,

    /// <summary>Free text up to <see cref="CustomConfigurationEntry.MaxStringLength"/> characters.</summary>
    String,
}
