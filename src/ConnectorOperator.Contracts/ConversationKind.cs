namespace ConnectorOperator.Contracts;

/// <summary>The two kinds of connector; catalogue entries apply to one, both or (internal switches) neither.</summary>
public enum ConversationKind
{
    Messaging,
    Chat,
}
