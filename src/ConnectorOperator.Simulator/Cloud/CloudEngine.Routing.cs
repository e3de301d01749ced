using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Options;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    /// <summary>
    /// Offers every waiting conversation (oldest first) to one agent: an eligible user of its skill with
    /// free capacity, preferring one not yet rung for it, then the least loaded, then the longest unrung.
    /// </summary>
    private void DispatchLocked()
    {
        foreach (var account in _accounts.Values)
        {
            var candidates = account.Users.Where(IsRoutable).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var load = candidates.ToDictionary(u => u, _ => 0);
            foreach (var conversation in account.OpenConversations.Values)
            {
                var holder = conversation.AssignedAgent ?? conversation.CurrentRing?.Agent;
                if (holder is not null && load.TryGetValue(holder, out var n))
                {
                    load[holder] = n + 1;
                }
            }

            var waiting = account.OpenConversations.Values
                .Where(c => c.State == ConversationState.Queued)
                .OrderBy(c => c.QueuedAt)
                .ThenBy(c => c.StartedAt)
                .ToList();
            foreach (var conversation in waiting)
            {
                var eligible = candidates.Where(u => u.HasSkill(conversation.SkillId) && load[u] < u.Options.MaxConversations).ToList();
                if (eligible.Count == 0)
                {
                    continue;
                }

                var fresh = eligible.Where(u => !conversation.RungAgents.Contains(u)).ToList();
                if (fresh.Count == 0)
                {
                    // Everyone had a turn: start another round, still skipping whoever was rung last if possible.
                    var last = conversation.RungAgents.MaxBy(u => u.LastRungAt);
                    conversation.RungAgents.Clear();
                    fresh = eligible.Count > 1 ? eligible.Where(u => u != last).ToList() : eligible;
                }

                var agent = fresh.OrderBy(u => load[u]).ThenBy(u => u.LastRungAt).ThenBy(u => u.Options.UserNumber).First();
                RingLocked(conversation, agent);
                load[agent]++;
            }
        }
    }

    private static bool IsRoutable(AgentUserRuntime user)
    {
        if (user.LiveSession is not { } session)
        {
            return false;
        }

        return user.Account.ConversationType == ConversationType.Chat
            ? session.ChatSession is { IsEnded: false, Availability: "Online" }
            : user.Availability == "ONLINE" && session.Connections.Any(c => c.RoutingSubscriptionId is not null && !c.IsClosing);
    }

    private void RingLocked(Conversation conversation, AgentUserRuntime agent)
    {
        var now = Now;
        var chat = agent.Account.ConversationType == ConversationType.Chat ? agent.LiveSession?.ChatSession : null;
        var expiry = chat is null ? _options.RingExpiry : _options.ChatRingExpiry;
        var ring = new Ring(NextId("ring"), conversation, agent, now + expiry, chat);
        conversation.CurrentRing = ring;
        conversation.State = ConversationState.Ringing;
        conversation.RungAgents.Add(agent);
        agent.LastRungAt = now;
        _counters.Rings++;
        NotifyRingLocked(ring, "WAITING");
    }

    private static void NotifyRingLocked(Ring ring, string ringState)
    {
        if (ring.Agent.LiveSession is not { } session)
        {
            return;
        }

        foreach (var connection in session.Connections)
        {
            if (connection.RoutingSubscriptionId is { } subscriptionId)
            {
                connection.Send(RingNotification(subscriptionId, ring, ringState));
            }
        }
    }

    private static JsonObject RingNotification(string subscriptionId, Ring ring, string ringState) =>
        Notification("routing.RoutingTaskNotification", new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["changes"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "UPSERT",
                    ["result"] = new JsonObject
                    {
                        ["taskId"] = "task-" + ring.Conversation.Id,
                        ["conversationId"] = ring.Conversation.Id,
                        ["ringsDetails"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["ringId"] = ring.Id,
                                ["ringState"] = ringState,
                                ["ringExpiration"] = ring.ExpiresAt.ToUnixTimeMilliseconds(),
                                ["skillId"] = ring.Conversation.SkillId,
                                ["consumerId"] = ring.Conversation.ConsumerId,
                            },
                        },
                    },
                },
            },
        });

    private void ExpireRingLocked(Conversation conversation)
    {
        var ring = conversation.CurrentRing!;
        _counters.RingsExpired++;
        conversation.CurrentRing = null;
        conversation.State = ConversationState.Queued;
        NotifyRingLocked(ring, "EXPIRED");
        if (ring.ChatSession is { } chat)
        {
            // The Chat service sets an agent who lets a chat ring out to Away.
            chat.Availability = "Away";
        }
    }

    private void AssignLocked(Conversation conversation, AgentUserRuntime agent, ChatAgentSession? chatSession)
    {
        conversation.CurrentRing = null;
        conversation.State = ConversationState.Assigned;
        conversation.AssignedAgent = agent;
        conversation.ChatSession = chatSession;
        NotifyConversationLocked(conversation, previousAgent: null);
        Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.Assigned, Now, SkillId: conversation.SkillId, AgentUser: agent.LoginName));
    }

    private void RequeueLocked(Conversation conversation, AgentUserRuntime previousAgent)
    {
        _counters.Requeued++;
        conversation.AssignedAgent = null;
        conversation.ChatSession = null;
        conversation.CurrentRing = null;
        conversation.State = ConversationState.Queued;
        conversation.QueuedAt = Now;
        conversation.RungAgents.Clear();
        NotifyConversationLocked(conversation, previousAgent);
    }

    private void TransferLocked(Conversation conversation, string skillId, AgentUserRuntime fromAgent)
    {
        var now = Now;
        var escalation = conversation.Account.HumanSkills.Contains(skillId);
        conversation.Transfers.Add(new TransferRecord(conversation.SkillId, skillId, fromAgent.LoginName, now, escalation));
        _counters.Transfers++;
        conversation.SkillId = skillId;
        RequeueLocked(conversation, fromAgent);
        Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.Transferred, now, SkillId: skillId, AgentUser: fromAgent.LoginName));
        _logger.LogInformation("Conversation {ConversationId} transferred by {LoginName} to skill {SkillId} (escalation: {Escalation})", conversation.Id, fromAgent.LoginName, skillId, escalation);
        if (escalation)
        {
            _counters.Escalations++;
            Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.Escalated, now, SkillId: skillId, AgentUser: fromAgent.LoginName));
        }

        DispatchLocked();
    }

    private void CloseLocked(Conversation conversation, string closedBy)
    {
        var now = Now;
        if (conversation.CurrentRing is { } ring)
        {
            NotifyRingLocked(ring, "REVOKED");
            conversation.CurrentRing = null;
        }

        if (conversation.Account.ConversationType == ConversationType.Chat)
        {
            AppendEventLocked(conversation, closedBy, closedBy == "consumer" ? "CONSUMER" : "ASSIGNED_AGENT", "ChatEnded", null,
                new JsonObject { ["type"] = "ChatEnded" });
        }

        conversation.State = ConversationState.Closed;
        conversation.ClosedAt = now;
        conversation.ClosedBy = closedBy;
        conversation.Account.OpenConversations.Remove(conversation.Id);
        _counters.ConversationsClosed++;
        NotifyConversationLocked(conversation, conversation.AssignedAgent);
        Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.Closed, now, SkillId: conversation.SkillId, AgentUser: closedBy));
        DispatchLocked();
    }
}
