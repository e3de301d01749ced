namespace ConnectorOperator.Simulator.Cloud;

/// <summary>
/// The service had to revoke a live session because the same agent user logged in again: for a moment
/// two logins of one user were both accepted. <see cref="RevokedHadSocket"/> says whether the revoked
/// one still had a messaging socket (a connector still working on it) at that moment.
/// </summary>
public sealed record SessionConflictRecord(
    string AccountId,
    string LoginName,
    string RevokedSessionId,
    string NewSessionId,
    DateTimeOffset At,
    bool RevokedHadSocket,
    int RevokedOpenConversations);
