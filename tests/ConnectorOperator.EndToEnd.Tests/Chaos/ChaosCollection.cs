namespace ConnectorOperator.EndToEnd.Tests.Chaos;

/// <summary>The two chaos runs each keep two operator processes busy: one after the other, not both at once on a small CI machine.</summary>
[CollectionDefinition(Name)]
public sealed class ChaosCollection
{
    public const string Name = "chaos runs";
}
