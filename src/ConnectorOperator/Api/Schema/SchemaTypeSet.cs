using System.Diagnostics.CodeAnalysis;

namespace ConnectorOperator.Api.Schema;

/// <summary>
/// The classes a schema walk may enter. Each is registered through an annotated generic parameter so the trimmer
/// keeps its public properties (the operator is published trimmed); a property's type reached only by reflection
/// would otherwise lose them silently.
/// </summary>
public sealed class SchemaTypeSet
{
    private readonly Dictionary<Type, SchemaType> _types = [];

    public SchemaTypeSet Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>()
    {
        _types[typeof(T)] = new SchemaType(typeof(T));
        return this;
    }

    internal SchemaType Get(Type type) =>
        _types.TryGetValue(type, out var found)
            ? found
            : throw new InvalidOperationException(
                $"{type.FullName} is not in the schema's type set; add it with {nameof(SchemaTypeSet)}.{nameof(Add)}<{type.Name}>().");
}

internal sealed class SchemaType(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type Type { get; } = type;
}
