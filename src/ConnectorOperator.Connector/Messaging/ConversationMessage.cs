namespace ConnectorOperator.Connector.Messaging;

/// <summary>
/// One text message of a conversation. <see cref="Sequence"/> is null where the channel has none;
/// <see cref="Postback"/> is the value of the button the consumer clicked, when the click carried one.
/// </summary>
public sealed record ConversationMessage(long? Sequence, string Text, bool FromConsumer, string? Postback = null);
