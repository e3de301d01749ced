namespace ConnectorOperator.Connector.Tests.Support;

/// <summary>Conversation numbers a test sets directly.</summary>
internal sealed class FixedLoad : IConversationLoad
{
    public int ActiveConversations { get; set; }

    public int WaitingConversations { get; set; }

    public long OfferedAtCapacity { get; set; }
}
