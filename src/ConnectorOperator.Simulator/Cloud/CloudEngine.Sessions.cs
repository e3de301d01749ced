using System.Net.WebSockets;
using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    public LoginOutcome Login(string accountId, LoginRequest request)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(accountId, out var account))
            {
                _counters.FailedLogins++;
                return new LoginOutcome(null, "unknown account");
            }

            var user = request.Username is null ? null : account.FindUser(request.Username);
            var method = CredentialsMatch(user?.Options, request);
            if (user is null || method is null)
            {
                _counters.FailedLogins++;
                return new LoginOutcome(null, "invalid credentials");
            }

            if (Faults.IsLoginRefused(accountId, user.LoginName))
            {
                _counters.FailedLogins++;
                return new LoginOutcome(null, "user is disabled");
            }

            var now = Now;
            var session = new AgentSession(NewToken(), NewToken(), NewToken(), user, now, now + _options.SessionTtl, method);
            if (user.LiveSession is { } previous)
            {
                _counters.SessionConflicts++;
                _conflicts.Add(new SessionConflictRecord(
                    accountId,
                    user.LoginName,
                    previous.Id,
                    session.Id,
                    now,
                    previous.Connections.Count > 0,
                    account.OpenConversations.Values.Count(c => c.AssignedAgent == user)));
                _logger.LogInformation("Agent user {LoginName} of account {AccountId} logged in again: revoking the earlier session", user.LoginName, accountId);
                EndSessionLocked(previous, "Revoked", CloseCodes.Unauthorized, now);
            }

            _counters.Logins++;
            _logger.LogInformation("Agent user {LoginName} (account {AccountId}) logged in by {Method}", user.LoginName, accountId, method);
            user.LiveSession = session;
            _sessionsByBearer[session.Bearer] = session;
            _sessionsById[session.Id] = session;
            _allSessions.Add(session);
            return new LoginOutcome(session, null);
        }
    }

    private static string? CredentialsMatch(AgentUserOptions? user, LoginRequest request)
    {
        if (user is null)
        {
            return null;
        }

        if (request.AppKey is not null)
        {
            var ok = user.AppKey is not null
                && string.Equals(user.AppKey, request.AppKey, StringComparison.Ordinal)
                && string.Equals(user.AppSecret, request.Secret, StringComparison.Ordinal)
                && string.Equals(user.AccessToken, request.AccessToken, StringComparison.Ordinal)
                && string.Equals(user.AccessTokenSecret, request.AccessTokenSecret, StringComparison.Ordinal);
            return ok ? "ApiKey" : null;
        }

        return user.Password is not null && string.Equals(user.Password, request.Password, StringComparison.Ordinal)
            ? "Password"
            : null;
    }

    /// <summary>Extends a live session; the cookie names it, or the csrf alone when the client kept no cookie.</summary>
    public bool Refresh(string accountId, string? sessionCookie, string? csrf)
    {
        lock (_gate)
        {
            var session = sessionCookie is not null && _sessionsById.TryGetValue(sessionCookie, out var byCookie)
                ? byCookie
                : _allSessions.FirstOrDefault(s => s.IsLive && string.Equals(s.Csrf, csrf, StringComparison.Ordinal));
            if (session is null || !session.IsLive || session.User.Account.Id != accountId
                || !string.Equals(session.Csrf, csrf, StringComparison.Ordinal) || session.ExpiresAt <= Now)
            {
                _counters.FailedRefreshes++;
                return false;
            }

            if (Faults.TakeRefreshFailure(accountId, session.User.LoginName))
            {
                // An injected refusal behaves like a session the service dropped: the socket goes too.
                _counters.FailedRefreshes++;
                EndSessionLocked(session, "RefreshRejected", CloseCodes.Unauthorized);
                DispatchLocked();
                return false;
            }

            _counters.Refreshes++;
            session.Refreshes++;
            session.ExpiresAt = Now + _options.SessionTtl;
            return true;
        }
    }

    public bool Logout(string accountId, string? bearer)
    {
        lock (_gate)
        {
            if (bearer is null || !_sessionsByBearer.TryGetValue(bearer, out var session) || !session.IsLive
                || session.User.Account.Id != accountId)
            {
                return false;
            }

            _counters.Logouts++;
            EndSessionLocked(session, "LoggedOut", CloseCodes.Normal);
            DispatchLocked();
            return true;
        }
    }

    public AgentSession? FindLiveSession(string accountId, string? bearer)
    {
        lock (_gate)
        {
            return FindLiveSessionLocked(accountId, bearer);
        }
    }

    private AgentSession? FindLiveSessionLocked(string accountId, string? bearer)
    {
        if (bearer is null || !_sessionsByBearer.TryGetValue(bearer, out var session) || !session.IsLive
            || session.User.Account.Id != accountId)
        {
            return null;
        }

        if (session.ExpiresAt <= Now)
        {
            _counters.SessionsExpired++;
            EndSessionLocked(session, "Expired", CloseCodes.Unauthorized);
            DispatchLocked();
            return null;
        }

        return session;
    }

    /// <summary>
    /// Ends a login: its sockets close, its rings are withdrawn and its conversations go back to their
    /// queues (the service does that on logout and revocation, not on AWAY).
    /// </summary>
    private void EndSessionLocked(AgentSession session, string reason, WebSocketCloseStatus closeCode, DateTimeOffset? at = null)
    {
        if (!session.IsLive)
        {
            return;
        }

        var user = session.User;
        session.End(at ?? Now, reason);
        _logger.LogInformation("Session of agent user {LoginName} (account {AccountId}) ended: {Reason}", user.LoginName, user.Account.Id, reason);
        if (user.LiveSession == session)
        {
            user.LiveSession = null;
            user.Availability = "OFFLINE";
        }

        foreach (var connection in session.Connections.ToList())
        {
            DetachLocked(connection);
            connection.Close(closeCode, reason);
        }

        if (session.ChatSession is { } chat)
        {
            EndChatSessionLocked(chat);
        }

        foreach (var conversation in user.Account.OpenConversations.Values.ToList())
        {
            if (conversation.CurrentRing?.Agent == user)
            {
                conversation.CurrentRing = null;
                conversation.State = ConversationState.Queued;
            }
            else if (conversation.AssignedAgent == user)
            {
                RequeueLocked(conversation, user);
            }
        }
    }

    /// <summary>Drops sockets without a close handshake: every socket, or one agent user's.</summary>
    public int DropSockets(string? accountId, string? loginName)
    {
        lock (_gate)
        {
            var dropped = 0;
            foreach (var session in _allSessions.Where(s => s.IsLive))
            {
                if ((accountId is null || session.User.Account.Id == accountId)
                    && (loginName is null || session.User.LoginName == loginName))
                {
                    foreach (var connection in session.Connections.ToList())
                    {
                        DetachLocked(connection);
                        connection.Abort();
                        dropped++;
                    }
                }
            }

            return dropped;
        }
    }

    /// <summary>Revokes one agent user's live session as the service would (sockets close with 4401).</summary>
    public bool RevokeSession(string accountId, string loginName)
    {
        lock (_gate)
        {
            var user = _accounts.GetValueOrDefault(accountId)?.FindUser(loginName);
            if (user?.LiveSession is not { } session)
            {
                return false;
            }

            EndSessionLocked(session, "RevokedByFault", CloseCodes.Unauthorized);
            DispatchLocked();
            return true;
        }
    }
}
