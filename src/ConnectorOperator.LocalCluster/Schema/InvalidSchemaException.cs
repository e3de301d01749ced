namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>The openAPIV3Schema is not structural (or uses something this double does not support); the message names the schema path.</summary>
public sealed class InvalidSchemaException(string message) : Exception(message);
