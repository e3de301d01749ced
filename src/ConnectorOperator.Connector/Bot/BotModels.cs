using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Bot;

/// <summary>The bot contract's event types.</summary>
public static class BotEventType
{
    public const string Message = "message";
    public const string Greeting = "greeting";
    public const string StepUp = "stepUp";
    public const string EscalationFailed = "escalationFailed";

    /// <summary>The health probe: no conversation; any 2xx answer means the bot is up (its body is ignored).</summary>
    public const string HealthCheck = "healthCheck";

    /// <summary>The text sent with an <see cref="EscalationFailed"/> event.</summary>
    public const string EscalationFailedText = "_agent_escalation_failed_";
}

/// <summary>What one conversation tells the bot: an event plus its routing context.</summary>
public sealed record BotEvent(string ConversationId, string Type, string Text, string? SkillId, string? ConsumerId)
{
    /// <summary>The callback value of the button the consumer clicked (the bot's button payload); null for typed text.</summary>
    public string? ButtonPayload { get; init; }
}

/// <summary>One reply: text, or structured content (a JSON object or array of tiles).</summary>
public sealed record BotReply(string? Text, JsonNode? StructuredContent);

/// <summary>The bot's single optional action.</summary>
public sealed record BotAction(string Type, string? SkillId)
{
    public const string Escalate = "escalate";
    public const string Close = "close";
}

/// <summary>The bot's answer. <see cref="Answered"/> is false when the resend rules apply.</summary>
public sealed record BotAnswer(IReadOnlyList<BotReply> Replies, BotAction? Action, bool Seen)
{
    public bool Answered => Replies.Count > 0 || Seen || Action is not null;

    public static BotAnswer None { get; } = new([], null, false);
}

/// <summary>The bot could not be reached or answered with an error.</summary>
public sealed class BotUnreachableException : Exception
{
    public BotUnreachableException()
    {
    }

    public BotUnreachableException(string message)
        : base(message)
    {
    }

    public BotUnreachableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

public interface IBotClient
{
    /// <summary>Posts one event; throws <see cref="BotUnreachableException"/> when the bot fails.</summary>
    Task<BotAnswer> SendAsync(BotEvent botEvent, CancellationToken cancellationToken);

    /// <summary>Sends the health probe; throws <see cref="BotUnreachableException"/> when the bot fails it.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
