namespace ConnectorOperator.Connector.Cloud;

/// <summary>The Offline reasons of the connector contract.</summary>
public static class OfflineReason
{
    public const string Unauthorized = "Unauthorized";
    public const string ConnectionFailed = "ConnectionFailed";
    public const string Connecting = "Connecting";
    public const string CredentialsMissing = "CredentialsMissing";
    public const string AgentUserConflict = "AgentUserConflict";
    public const string BotUnreachable = "BotUnreachable";
    public const string InvalidConfiguration = "InvalidConfiguration";
}

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
        : this(OfflineReason.ConnectionFailed, "Conversational Cloud failure")
    {
    }

    public CloudFailureException(string message)
        : this(OfflineReason.ConnectionFailed, message)
    {
    }

    public CloudFailureException(string message, Exception inner)
        : this(OfflineReason.ConnectionFailed, message, null, inner)
    {
    }

    public string Reason { get; }

    public int? StatusCode { get; }

    public bool IsUnauthorized => StatusCode == 401;
}
