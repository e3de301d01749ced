using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Primitives;

/// <summary>A failed API call, carrying the meta/v1 <c>Status</c> the server answers with.</summary>
public sealed class ApiStatusException : Exception
{
    public ApiStatusException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    /// <summary>The StatusReason: NotFound, AlreadyExists, Conflict, Invalid, Gone, Expired, ...</summary>
    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>Extra response headers (Retry-After, Warning).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public JsonObject ToStatus() => StatusObjects.Failure(Code, Reason, Message, Details?.DeepClone().AsObject());
}
