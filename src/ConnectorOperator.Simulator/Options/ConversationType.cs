namespace ConnectorOperator.Simulator.Options;

/// <summary>Which agent API an account's conversations use.</summary>
public enum ConversationType
{
    Messaging,
    Chat,
}
