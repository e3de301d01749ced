using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Http;

namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    /// <summary>Registers a socket on a live session; null when the session is gone.</summary>
    public AgentConnection? Attach(string accountId, string bearer, WebSocket socket)
    {
        lock (_gate)
        {
            var session = FindLiveSessionLocked(accountId, bearer);
            if (session is null)
            {
                return null;
            }

            var connection = new AgentConnection(NextId("ws"), session, socket);
            session.Connections.Add(connection);
            _counters.SocketsOpened++;
            return connection;
        }
    }

    public void Detach(AgentConnection connection)
    {
        lock (_gate)
        {
            DetachLocked(connection);
            DispatchLocked();
        }
    }

    private static void DetachLocked(AgentConnection connection)
    {
        connection.Session.Connections.Remove(connection);
        foreach (var conversation in connection.MessagingSubscriptions)
        {
            conversation.Subscribers.Remove(connection);
        }

        connection.MessagingSubscriptions.Clear();
        connection.RoutingSubscriptionId = null;
        connection.ExSubscriptions.Clear();
    }

    /// <summary>
    /// Serves one request and queues its response and follow-ups under one hold of the lock, so nothing
    /// the request caused (new rings, live events) can reach the client ahead of its response.
    /// </summary>
    public void Respond(AgentConnection connection, JsonNode? requestId, Func<Outcome> serve)
    {
        lock (_gate)
        {
            if (!IsConnectionLiveLocked(connection))
            {
                // The session ended (expired, revoked, logged out) while this socket stayed open: the bearer is no good.
                connection.Close(CloseCodes.Unauthorized, "session ended");
                return;
            }

            var outcome = serve();
            _counters.Requests++;
            if (outcome.Code > 399)
            {
                _counters.FailedRequests++;
            }

            connection.Send(new JsonObject
            {
                ["kind"] = "resp",
                ["reqId"] = requestId,
                ["code"] = outcome.Code,
                ["body"] = outcome.Body,
            });
            foreach (var followUp in outcome.FollowUps)
            {
                connection.Send(followUp);
            }

            DispatchLocked();
        }
    }

    public Outcome SetAgentState(AgentConnection connection, string? agentUserId, string? availability)
    {
        lock (_gate)
        {
            var user = connection.Session.User;
            if (agentUserId is not null && !user.IsIdentifiedBy(agentUserId))
            {
                return Outcome.Error(403, "agentUserId is not the logged-in user");
            }

            if (availability is not ("ONLINE" or "AWAY" or "OFFLINE"))
            {
                return Outcome.Error(400, "availability must be ONLINE, AWAY or OFFLINE");
            }

            user.Availability = availability;
            return Outcome.Ok();
        }
    }

    public Outcome SubscribeExConversations(AgentConnection connection, IReadOnlyList<string> agentIds, IReadOnlyList<string> states)
    {
        lock (_gate)
        {
            var subscription = new ExConversationSubscription(NextId("ex"), agentIds, states.ToHashSet(StringComparer.Ordinal));
            connection.ExSubscriptions.Add(subscription);

            // The service answers a subscription with the current picture, so a reconnect finds its conversations again.
            var current = connection.Session.User.Account.OpenConversations.Values
                .Where(c => c.AssignedAgent is not null && subscription.CoversAgent(c.AssignedAgent) && subscription.CoversState("OPEN"))
                .OrderBy(c => c.StartedAt)
                .ToList();
            var followUps = new List<JsonObject>();
            if (current.Count > 0)
            {
                var changes = new JsonArray();
                foreach (var conversation in current)
                {
                    changes.Add(ExChange("UPSERT", conversation, "OPEN"));
                }

                followUps.Add(Notification("cqm.ExConversationChangeNotification", new JsonObject
                {
                    ["subscriptionId"] = subscription.Id,
                    ["changes"] = changes,
                }));
            }

            return Outcome.Ok(new JsonObject { ["subscriptionId"] = subscription.Id }) with { FollowUps = followUps };
        }
    }

    public Outcome SubscribeRoutingTasks(AgentConnection connection)
    {
        lock (_gate)
        {
            connection.RoutingSubscriptionId ??= NextId("rt");
            var id = connection.RoutingSubscriptionId;

            // Rings already waiting for this user are offered on the new subscription too.
            var followUps = connection.Session.User.Account.OpenConversations.Values
                .Select(c => c.CurrentRing)
                .OfType<Ring>()
                .Where(r => r.Agent == connection.Session.User)
                .Select(r => RingNotification(id, r, "WAITING"))
                .ToList();
            return Outcome.Ok(new JsonObject { ["subscriptionId"] = id }) with { FollowUps = followUps };
        }
    }

    public Outcome UpdateRingState(AgentConnection connection, string? ringId, string? ringState)
    {
        lock (_gate)
        {
            var user = connection.Session.User;
            var conversation = user.Account.OpenConversations.Values.FirstOrDefault(c => c.CurrentRing?.Id == ringId);
            if (conversation?.CurrentRing is not { } ring || ring.Agent != user)
            {
                return Outcome.Error(404, "no such ring waiting for this agent");
            }

            switch (ringState)
            {
                case "ACCEPTED":
                    _counters.RingsAccepted++;
                    AssignLocked(conversation, user, chatSession: null);
                    NotifyRingLocked(ring, "ACCEPTED");
                    return Outcome.Ok();
                case "REJECTED":
                    _counters.RingsRejected++;
                    conversation.CurrentRing = null;
                    conversation.State = ConversationState.Queued;
                    NotifyRingLocked(ring, "REJECTED");
                    DispatchLocked();
                    return Outcome.Ok();
                default:
                    return Outcome.Error(400, "ringState must be ACCEPTED or REJECTED");
            }
        }
    }

    public Outcome SubscribeMessagingEvents(AgentConnection connection, string? conversationId, long fromSeq)
    {
        lock (_gate)
        {
            if (conversationId is null || !_conversations.TryGetValue(conversationId, out var conversation)
                || conversation.Account != connection.Session.User.Account)
            {
                return Outcome.Error(404, "unknown conversation");
            }

            conversation.Subscribers.Add(connection);
            connection.MessagingSubscriptions.Add(conversation);
            var replay = conversation.Events.Where(e => e.Sequence >= fromSeq).ToList();
            return Outcome.Ok() with { FollowUps = replay.Count > 0 ? [MessagingNotification(conversation, replay)] : [] };
        }
    }

    public Outcome PublishEvent(AgentConnection connection, string? conversationId, JsonObject? ev)
    {
        lock (_gate)
        {
            var user = connection.Session.User;
            if (!TryHeldConversationLocked(user, conversationId, out var conversation, out var refusal))
            {
                return refusal;
            }

            var type = ev?["type"]?.GetValue<string>();
            string? text = null;
            switch (type)
            {
                case "ContentEvent":
                    text = ev!["message"]?.GetValue<string>();
                    _counters.AgentMessages++;
                    break;
                case "RichContentEvent":
                    text = ev!["content"]?.ToJsonString();
                    _counters.AgentMessages++;
                    break;
                case "AcceptStatusEvent":
                    _counters.AcceptStatusEvents++;
                    break;
                case "ChatStateEvent":
                    _counters.ChatStateEvents++;
                    break;
                default:
                    return Outcome.Error(400, "unsupported event type");
            }

            var appended = AppendEventLocked(conversation, user.UserId, user.ParticipantRole, type, text, (JsonObject)ev!.DeepClone());
            if (type is "ContentEvent" or "RichContentEvent")
            {
                Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.AgentMessage, appended.At, appended.Sequence, text, conversation.SkillId, user.LoginName));
            }

            return Outcome.Ok(new JsonObject { ["sequence"] = appended.Sequence });
        }
    }

    public Outcome UpdateConversationField(AgentConnection connection, string? conversationId, JsonArray? fields)
    {
        lock (_gate)
        {
            var user = connection.Session.User;
            if (!TryHeldConversationLocked(user, conversationId, out var conversation, out var refusal))
            {
                return refusal;
            }

            var items = fields?.OfType<JsonObject>().ToList() ?? [];
            var closing = items.Any(f => HttpJson.Str(f, "field") == "ConversationStateField" && HttpJson.Str(f, "conversationState") == "CLOSE");
            var removals = items.Where(f => HttpJson.Str(f, "field") == "ParticipantsChange" && HttpJson.Str(f, "type") == "REMOVE"
                && (HttpJson.Str(f, "userId") is not { } id || user.IsIdentifiedBy(id))).ToList();
            if (removals.FirstOrDefault(f => HttpJson.Str(f, "role") != user.ParticipantRole) is { } wrongRole)
            {
                return Outcome.Error(400, $"{user.LoginName} is a {user.ParticipantRole} participant of this conversation, not {HttpJson.Str(wrongRole, "role") ?? "(no role)"}");
            }

            var removesAgent = removals.Count > 0;
            var skill = items.FirstOrDefault(f => HttpJson.Str(f, "field") == "Skill" && HttpJson.Str(f, "type") == "UPDATE") is { } s ? HttpJson.Str(s, "skill") : null;
            if (!closing && !removesAgent && skill is null)
            {
                return Outcome.Error(400, "no supported conversation field");
            }

            if (closing)
            {
                CloseLocked(conversation, user.LoginName);
                return Outcome.Ok();
            }

            if (skill is not null && !conversation.Account.Skills.ContainsKey(skill))
            {
                return Outcome.Error(400, $"unknown skill {skill}");
            }

            if (removesAgent)
            {
                TransferLocked(conversation, skill ?? conversation.SkillId, user);
            }
            else
            {
                conversation.SkillId = skill!;
                NotifyConversationLocked(conversation, previousAgent: null);
            }

            return Outcome.Ok();
        }
    }

    private bool IsConnectionLiveLocked(AgentConnection connection)
    {
        var session = connection.Session;
        if (session.IsLive && session.ExpiresAt <= Now)
        {
            _counters.SessionsExpired++;
            EndSessionLocked(session, "Expired", CloseCodes.Unauthorized);
            DispatchLocked();
        }

        return session.IsLive && session.Connections.Contains(connection);
    }

    /// <summary>The open conversation <paramref name="user"/> holds, or the refusal to answer a request about it with.</summary>
    private bool TryHeldConversationLocked(AgentUserRuntime user, string? conversationId, [NotNullWhen(true)] out Conversation? conversation, out Outcome refusal)
    {
        if (conversationId is null || !_conversations.TryGetValue(conversationId, out conversation)
            || conversation.Account != user.Account)
        {
            refusal = Outcome.Error(404, "unknown conversation");
        }
        else if (conversation.State == ConversationState.Closed)
        {
            refusal = Outcome.Error(400, "conversation is closed");
        }
        else if (conversation.AssignedAgent != user)
        {
            refusal = Outcome.Error(403, "not a participant of this conversation");
        }
        else
        {
            refusal = default;
            return true;
        }

        conversation = null;
        return false;
    }

    private ConversationEvent AppendEventLocked(Conversation conversation, string originatorId, string role, string type, string? text, JsonObject ev)
    {
        var appended = new ConversationEvent(conversation.NextSequence, originatorId, role, Now, type, text, ev);
        conversation.Events.Add(appended);
        if (conversation.Subscribers.Count > 0)
        {
            var frame = MessagingNotification(conversation, [appended]).ToJsonString();
            foreach (var subscriber in conversation.Subscribers)
            {
                subscriber.SendText(frame);
            }
        }

        return appended;
    }

    /// <summary>A plain-text ContentEvent, as a consumer's message or an agent's chat line is stored.</summary>
    private static JsonObject TextEvent(string text) => new()
    {
        ["type"] = "ContentEvent",
        ["contentType"] = "text/plain",
        ["message"] = text,
    };

    private static JsonObject Notification(string type, JsonObject body) => new()
    {
        ["kind"] = "notification",
        ["type"] = type,
        ["body"] = body,
    };

    private static JsonObject MessagingNotification(Conversation conversation, IEnumerable<ConversationEvent> events)
    {
        var changes = new JsonArray();
        foreach (var e in events)
        {
            changes.Add(new JsonObject
            {
                ["sequence"] = e.Sequence,
                ["originatorId"] = e.OriginatorId,
                ["originatorMetadata"] = new JsonObject { ["id"] = e.OriginatorId, ["role"] = e.Role },
                ["serverTimestamp"] = e.At.ToUnixTimeMilliseconds(),
                ["dialogId"] = conversation.Id,
                ["conversationId"] = conversation.Id,
                ["event"] = e.Event.DeepClone(),
            });
        }

        return Notification("ms.MessagingEventNotification", new JsonObject
        {
            ["dialogId"] = conversation.Id,
            ["changes"] = changes,
        });
    }

    private static JsonObject ExChange(string type, Conversation conversation, string state)
    {
        var participants = new JsonArray { new JsonObject { ["id"] = conversation.ConsumerId, ["role"] = "CONSUMER" } };
        if (conversation.AssignedAgent is { } agent)
        {
            participants.Add(new JsonObject { ["id"] = agent.UserId, ["role"] = agent.ParticipantRole });
        }

        return new JsonObject
        {
            ["type"] = type,
            ["result"] = new JsonObject
            {
                ["convId"] = conversation.Id,
                ["conversationDetails"] = new JsonObject
                {
                    ["skillId"] = conversation.SkillId,
                    ["state"] = state,
                    ["startTs"] = conversation.StartedAt.ToUnixTimeMilliseconds(),
                    ["participants"] = participants,
                    ["dialogs"] = new JsonArray
                    {
                        new JsonObject { ["dialogId"] = conversation.Id, ["dialogType"] = "MAIN", ["state"] = state },
                    },
                },
            },
        };
    }

    /// <summary>
    /// Tells every ExConversations subscription about a change: an UPSERT where the conversation is in
    /// view, a DELETE where it just left the view because <paramref name="previousAgent"/> lost it.
    /// A close is an UPSERT with state CLOSE to those who held it.
    /// </summary>
    private static void NotifyConversationLocked(Conversation conversation, AgentUserRuntime? previousAgent)
    {
        var closed = conversation.State == ConversationState.Closed;
        var state = closed ? "CLOSE" : "OPEN";
        foreach (var user in conversation.Account.Users)
        {
            if (user.LiveSession is not { } session)
            {
                continue;
            }

            foreach (var connection in session.Connections)
            {
                foreach (var subscription in connection.ExSubscriptions)
                {
                    var inView = conversation.AssignedAgent is not null && subscription.CoversAgent(conversation.AssignedAgent);
                    var wasInView = previousAgent is not null && subscription.CoversAgent(previousAgent);
                    string? change = closed
                        ? (inView || wasInView ? "UPSERT" : null)
                        : inView && subscription.CoversState(state) ? "UPSERT" : wasInView ? "DELETE" : null;
                    if (change is not null)
                    {
                        connection.Send(Notification("cqm.ExConversationChangeNotification", new JsonObject
                        {
                            ["subscriptionId"] = subscription.Id,
                            ["changes"] = new JsonArray { ExChange(change, conversation, state) },
                        }));
                    }
                }
            }
        }
    }
}
