namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>A printer column: a CRD's additionalPrinterColumns entry, or a built-in kind's default column.</summary>
/// <param name="JsonPath">A JSONPath into the object (".status.phase"); built-in columns whose cells are computed
/// (Pod Ready/Status, ages, ...) carry an internal "@..." marker instead, which <see cref="TableConverter"/> recognises.</param>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Format = null, string? Description = null, int Priority = 0);
