namespace ConnectorOperator.Connector.Cloud;

/// <summary>A failure talking to Conversational Cloud, with the contract reason it maps to.</summary>
public sealed class CloudFailureException : Exception
{
    public CloudFailureException(string reason, string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        StatusCode = statusCode;
    }

    public CloudFailureException()
        : this(ConnectorReasons.ConnectionFailed, "Conversational Cloud failure")
    {
    }

    public CloudFailureException(string message)
        : this(ConnectorReasons.ConnectionFailed, message)
    {
    }

    public CloudFailureException(string message, Exception inner)
        : this(ConnectorReasons.ConnectionFailed, message, null, inner)
    {
    }

    public string Reason { get; }

    public int? StatusCode { get; }

    public bool IsUnauthorized => StatusCode == 401;
}
