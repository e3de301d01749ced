using ConnectorOperator.Simulator.Inspection;

namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    public SimulatorState Snapshot()
    {
        lock (_gate)
        {
            var skills = _accounts.Values.SelectMany(a => a.Skills.Values.Select(skill =>
            {
                var open = a.OpenConversations.Values.Where(c => c.SkillId == skill.Id).ToList();
                return new SkillSnapshot(
                    a.Id,
                    skill.Id,
                    skill.Name,
                    a.HumanSkills.Contains(skill.Id),
                    open.Count(c => c.State == ConversationState.Queued),
                    open.Count(c => c.State == ConversationState.Ringing),
                    open.Count(c => c.State == ConversationState.Assigned));
            })).ToList();
            var agents = _accounts.Values.SelectMany(a => a.Users).Select(u => new AgentSnapshot(
                u.Account.Id,
                u.LoginName,
                u.UserId,
                u.Options.IsBot,
                u.Options.MaxConversations,
                u.Availability,
                u.LiveSession?.ChatSession?.Availability,
                u.LiveSession?.Id,
                u.LiveSession?.Connections.Count ?? 0,
                u.Account.OpenConversations.Values.Where(c => c.AssignedAgent == u).Select(c => c.Id).ToList(),
                u.Account.OpenConversations.Values.Where(c => c.CurrentRing?.Agent == u).Select(c => c.Id).ToList())).ToList();
            var sessions = _allSessions.Select(s => new SessionSnapshot(
                s.Id, s.User.Account.Id, s.User.LoginName, s.LoginMethod, s.StartedAt, s.ExpiresAt, s.EndedAt, s.EndReason, s.Refreshes)).ToList();
            var conversations = _conversations.Values.OrderBy(c => c.StartedAt).Select(c => new ConversationSnapshot(
                c.Id,
                c.Account.Id,
                c.SkillId,
                c.ConsumerId,
                c.State,
                c.AssignedAgent?.LoginName,
                c.CurrentRing?.Agent.LoginName,
                c.StartedAt,
                c.ClosedAt,
                c.ClosedBy,
                c.Events.Where(e => e.Type is "ContentEvent" or "RichContentEvent")
                    .Select(e => new MessageSnapshot(e.Sequence, e.Role, e.OriginatorId, e.Type, e.Text, e.At)).ToList(),
                c.Events.Where(e => e.Type is not ("ContentEvent" or "RichContentEvent"))
                    .Select(e => new EventSnapshot(e.Sequence, e.Role, e.Type, e.At, e.Event.ToJsonString())).ToList(),
                c.Transfers.ToList())).ToList();
            var k = _counters;
            var counters = new CountersSnapshot(
                k.Logins, k.FailedLogins, k.Refreshes, k.FailedRefreshes, k.Logouts, k.SessionsExpired, k.SessionConflicts,
                k.SocketsOpened, k.Requests, k.FailedRequests, k.ConversationsOpened, k.ConversationsClosed, k.Rings,
                k.RingsAccepted, k.RingsRejected, k.RingsExpired, k.Requeued, k.Transfers, k.Escalations,
                k.ConsumerMessages, k.AgentMessages, k.AcceptStatusEvents, k.ChatStateEvents, k.BotCalls, k.BotFailures);
            return new SimulatorState(Now, skills, agents, sessions, _conflicts.ToList(), conversations, counters);
        }
    }
}
