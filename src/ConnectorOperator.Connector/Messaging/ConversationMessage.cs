namespace ConnectorOperator.Connector.Messaging;

/// <summary>One text message of a conversation; <see cref="Sequence"/> is null where the channel has none.</summary>
public sealed record ConversationMessage(long? Sequence, string Text, bool FromConsumer);
