namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>
/// /openapi/v2 in the protobuf form kubectl asks for when /openapi/v3 has no document for a kind's group-version
/// (an apply of a kind the server does not serve, such as a kustomization file): a gnostic OpenAPIv2 Document
/// with only its swagger version. It lists no definitions, which is all kubectl needs there, because every kind
/// the double serves is in /openapi/v3; kubectl then reports the kind as unknown, as it would against a real server.
/// </summary>
internal static class OpenApiV2Protobuf
{
    /// <summary>What kubectl puts in Accept.</summary>
    public const string MediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>What the response says: '@' is not allowed in a Content-Type (Go's mime parser refuses it), so the server spells it with a dot.</summary>
    public const string ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>Field 1 (swagger, length-delimited) = "2.0".</summary>
    public static ReadOnlyMemory<byte> Document { get; } = new byte[] { 0x0A, 0x03, (byte)'2', (byte)'.', (byte)'0' };
}
