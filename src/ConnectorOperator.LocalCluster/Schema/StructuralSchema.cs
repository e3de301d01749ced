using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Schema;

// SEAM (owned by the schema helper): signatures fixed, bodies to be written.

/// <summary>One CRD version's openAPIV3Schema, parsed once: defaulting, pruning and validation as the API server does them.</summary>
public sealed class StructuralSchema
{
    private StructuralSchema() { }

    /// <summary>Parses a CRD's openAPIV3Schema. Throws <see cref="InvalidSchemaException"/> naming the path when it is not structural.</summary>
    public static StructuralSchema Parse(JsonObject openApiV3Schema) => throw new NotSupportedException("seam");

    /// <summary>Fills in <c>default</c> values in place (after decoding, before validation), as the apiserver does.</summary>
    public void ApplyDefaults(JsonObject obj) => throw new NotSupportedException("seam");

    /// <summary>Drops fields the schema does not declare (honours x-kubernetes-preserve-unknown-fields); apiVersion, kind and metadata stay.</summary>
    public void Prune(JsonObject obj) => throw new NotSupportedException("seam");

    /// <summary>Type, enum, required, bounds, pattern, format and x-kubernetes-validations (CEL) checks. <paramref name="oldObj"/> enables transition rules on update.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj, ICelEvaluator? cel) => throw new NotSupportedException("seam");
}

public sealed class InvalidSchemaException(string message) : Exception(message);

/// <summary>One field problem; <see cref="Path"/> is the API's field path ("spec.agentUsers[0].loginName").</summary>
public sealed record FieldError(string Path, FieldErrorType Type, string Message);

/// <summary>The API's StatusCause reasons: FieldValueRequired, FieldValueInvalid, ...</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TypeInvalid,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
}

/// <summary>Evaluates CEL rules (x-kubernetes-validations). The real one runs @bufbuild/cel under Node.</summary>
public interface ICelEvaluator
{
    /// <summary>Evaluates each rule with <c>self</c> (and <c>oldSelf</c> when given) bound; returns one result per check, in order.</summary>
    IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks);
}

public sealed record CelCheck(string Rule, JsonNode? Self, JsonNode? OldSelf, bool HasOldSelf, string? MessageExpression = null);

/// <summary><see cref="Passed"/> false with a null <see cref="Error"/> means the rule evaluated to false.</summary>
public sealed record CelResult(bool Passed, string? Error = null, string? Message = null);
