using System.Globalization;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    /// <summary>Opens a Chat agent session on a login; a login has at most one (a new one replaces the old).</summary>
    public ChatAgentSession? CreateChatSession(string accountId, string? bearer)
    {
        lock (_gate)
        {
            var login = FindLiveSessionLocked(accountId, bearer);
            if (login is null || login.User.Account.ConversationType != ConversationType.Chat)
            {
                return null;
            }

            if (login.ChatSession is { } previous)
            {
                EndChatSessionLocked(previous);
            }

            var chat = new ChatAgentSession(NextId("as"), login);
            login.ChatSession = chat;
            return chat;
        }
    }

    /// <summary>The Chat agent session <paramref name="sessionId"/> if the bearer's live login owns it.</summary>
    public ChatAgentSession? FindChatSession(string accountId, string? bearer, string sessionId)
    {
        lock (_gate)
        {
            var login = FindLiveSessionLocked(accountId, bearer);
            return login?.ChatSession is { IsEnded: false } chat && chat.Id == sessionId ? chat : null;
        }
    }

    public bool SetChatAvailability(ChatAgentSession chat, string? availability)
    {
        lock (_gate)
        {
            if (availability is not ("Online" or "Away" or "Occupied") || chat.IsEnded)
            {
                return false;
            }

            chat.Availability = availability;
            DispatchLocked();
            return true;
        }
    }

    public int RingingCount(ChatAgentSession chat)
    {
        lock (_gate)
        {
            return RingsFor(chat).Count();
        }
    }

    /// <summary>Accepts the oldest chat ringing for this agent session; null when nothing rings.</summary>
    public string? AcceptChat(ChatAgentSession chat)
    {
        lock (_gate)
        {
            var ring = RingsFor(chat).OrderBy(r => r.ExpiresAt).FirstOrDefault();
            if (ring is null)
            {
                return null;
            }

            _counters.RingsAccepted++;
            AssignLocked(ring.Conversation, chat.Login.User, chat);
            return ring.Conversation.Id;
        }
    }

    /// <summary>Events from <paramref name="from"/> on; null when the chat is not (or no longer) this agent's.</summary>
    public ChatEventView? ChatEvents(ChatAgentSession chat, string chatId, long from)
    {
        lock (_gate)
        {
            if (HeldChat(chat, chatId, allowClosed: true) is not { } conversation)
            {
                return null;
            }

            var events = new JsonArray();
            var next = Math.Max(from, 0);
            foreach (var e in conversation.Events.Where(e => e.Sequence >= from))
            {
                next = e.Sequence + 1;
                var view = new JsonObject
                {
                    ["@id"] = e.Sequence.ToString(CultureInfo.InvariantCulture),
                    ["time"] = e.At.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                };
                if (e.Type == "ContentEvent")
                {
                    var byConsumer = e.Role == "CONSUMER";
                    view["@type"] = "line";
                    view["textType"] = "plain";
                    view["text"] = e.Text;
                    view["by"] = byConsumer ? "Visitor" : chat.Login.User.LoginName;
                    view["source"] = byConsumer ? "visitor" : "agent";
                }
                else if (e.Type == "ChatEnded")
                {
                    view["@type"] = "state";
                    view["state"] = "ended";
                }
                else
                {
                    continue;
                }

                events.Add(view);
            }

            return new ChatEventView(events, next);
        }
    }

    /// <summary>The agent adds a line; false when the chat is not this agent's open chat.</summary>
    public bool AddChatLine(ChatAgentSession chat, string chatId, string text)
    {
        lock (_gate)
        {
            if (HeldChat(chat, chatId, allowClosed: false) is not { } conversation)
            {
                return false;
            }

            _counters.AgentMessages++;
            var user = chat.Login.User;
            var appended = AppendEventLocked(conversation, user.UserId, "ASSIGNED_AGENT", "ContentEvent", text, TextEvent(text));
            Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.AgentMessage, appended.At, appended.Sequence, text, conversation.SkillId, user.LoginName));
            return true;
        }
    }

    public bool EndChat(ChatAgentSession chat, string chatId)
    {
        lock (_gate)
        {
            if (HeldChat(chat, chatId, allowClosed: false) is not { } conversation)
            {
                return false;
            }

            CloseLocked(conversation, chat.Login.User.LoginName);
            return true;
        }
    }

    /// <summary>Transfers to a skill (with an optional line first); null when fine, else an error message.</summary>
    public string? TransferChat(ChatAgentSession chat, string chatId, string? skillId, string? text)
    {
        lock (_gate)
        {
            if (HeldChat(chat, chatId, allowClosed: false) is not { } conversation)
            {
                return "not this agent's chat";
            }

            if (skillId is null || !conversation.Account.Skills.ContainsKey(skillId))
            {
                return $"unknown skill {skillId}";
            }

            if (!string.IsNullOrEmpty(text))
            {
                AppendEventLocked(conversation, chat.Login.User.UserId, "ASSIGNED_AGENT", "ContentEvent", text, TextEvent(text));
            }

            TransferLocked(conversation, skillId, chat.Login.User);
            return null;
        }
    }

    public void DeleteChatSession(ChatAgentSession chat)
    {
        lock (_gate)
        {
            EndChatSessionLocked(chat);
            DispatchLocked();
        }
    }

    private void EndChatSessionLocked(ChatAgentSession chat)
    {
        chat.IsEnded = true;
        if (chat.Login.ChatSession == chat)
        {
            chat.Login.ChatSession = null;
        }

        foreach (var conversation in chat.Login.User.Account.OpenConversations.Values.ToList())
        {
            if (conversation.CurrentRing?.ChatSession == chat)
            {
                conversation.CurrentRing = null;
                conversation.State = ConversationState.Queued;
            }
            else if (conversation.ChatSession == chat && conversation.State == ConversationState.Assigned)
            {
                RequeueLocked(conversation, chat.Login.User);
            }
        }
    }

    private static IEnumerable<Ring> RingsFor(ChatAgentSession chat) =>
        chat.Login.User.Account.OpenConversations.Values.Select(c => c.CurrentRing).OfType<Ring>().Where(r => r.ChatSession == chat);

    private Conversation? HeldChat(ChatAgentSession chat, string chatId, bool allowClosed) =>
        _conversations.TryGetValue(chatId, out var conversation)
        && conversation.ChatSession == chat
        && (allowClosed || conversation.State == ConversationState.Assigned)
            ? conversation
            : null;
}
