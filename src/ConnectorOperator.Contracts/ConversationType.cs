namespace ConnectorOperator.Contracts;

/// <summary>
/// The two kinds of connector (the resource's conversationType, the connector's CONNECTOR_CONVERSATION_TYPE and the
/// simulator's account type); catalogue entries apply to one, both or (internal switches) neither.
/// </summary>
public enum ConversationType
{
    Messaging,
    Chat,
}
