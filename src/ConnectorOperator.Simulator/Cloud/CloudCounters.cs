namespace ConnectorOperator.Simulator.Cloud;

/// <summary>Running totals; written under the engine's lock, read as a snapshot.</summary>
internal sealed class CloudCounters
{
    public int Logins;
    public int FailedLogins;
    public int Refreshes;
    public int FailedRefreshes;
    public int Logouts;
    public int SessionsExpired;
    public int SessionConflicts;
    public int SocketsOpened;
    public int Requests;
    public int FailedRequests;
    public int ConversationsOpened;
    public int ConversationsClosed;
    public int Rings;
    public int RingsAccepted;
    public int RingsRejected;
    public int RingsExpired;
    public int Requeued;
    public int Transfers;
    public int Escalations;
    public int ConsumerMessages;
    public int AgentMessages;
    public int AcceptStatusEvents;
    public int ChatStateEvents;
    public int BotCalls;
    public int BotFailures;
}
