namespace ConnectorOperator.Api.Schema;

/// <summary>
/// A list whose items are unique by these fields (<c>x-kubernetes-list-type: map</c>): the API server rejects
/// duplicates and merges patches item by item. The key fields become required on the item.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeyAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
