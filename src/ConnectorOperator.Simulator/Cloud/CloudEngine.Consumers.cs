namespace ConnectorOperator.Simulator.Cloud;

internal sealed partial class CloudEngine
{
    /// <summary>A consumer opens a conversation on a skill, optionally saying something first.</summary>
    public string OpenConversation(string accountId, string skillId, string? firstMessage, string? consumerId)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(accountId, out var account))
            {
                throw new KeyNotFoundException($"Unknown account {accountId}.");
            }

            if (!account.Skills.ContainsKey(skillId))
            {
                throw new ArgumentException($"Account {accountId} has no skill {skillId}.", nameof(skillId));
            }

            var conversation = new Conversation(Guid.NewGuid().ToString("D"), account, skillId, consumerId ?? NextId("consumer-"), Now);
            _conversations[conversation.Id] = conversation;
            account.OpenConversations[conversation.Id] = conversation;
            _counters.ConversationsOpened++;
            Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.Opened, conversation.StartedAt, SkillId: skillId));
            if (firstMessage is not null)
            {
                ConsumerSaysLocked(conversation, firstMessage);
            }

            DispatchLocked();
            return conversation.Id;
        }
    }

    /// <summary>The consumer writes; returns the message's sequence.</summary>
    public long SendConsumerMessage(string conversationId, string text)
    {
        lock (_gate)
        {
            var conversation = OpenConversationLocked(conversationId);
            return ConsumerSaysLocked(conversation, text).Sequence;
        }
    }

    public void CloseByConsumer(string conversationId)
    {
        lock (_gate)
        {
            CloseLocked(OpenConversationLocked(conversationId), "consumer");
        }
    }

    /// <summary>Step-up: the unauthenticated consumer is replaced by an authenticated one.</summary>
    public void StepUpConsumer(string conversationId, string authenticatedConsumerId)
    {
        lock (_gate)
        {
            var conversation = OpenConversationLocked(conversationId);
            conversation.ConsumerId = authenticatedConsumerId;
            NotifyConversationLocked(conversation, previousAgent: null);
        }
    }

    private Conversation OpenConversationLocked(string conversationId)
    {
        if (!_conversations.TryGetValue(conversationId, out var conversation))
        {
            throw new KeyNotFoundException($"Unknown conversation {conversationId}.");
        }

        return conversation.State == ConversationState.Closed
            ? throw new InvalidOperationException($"Conversation {conversationId} is closed.")
            : conversation;
    }

    private ConversationEvent ConsumerSaysLocked(Conversation conversation, string text)
    {
        _counters.ConsumerMessages++;
        var appended = AppendEventLocked(conversation, conversation.ConsumerId, "CONSUMER", "ContentEvent", text, TextEvent(text));
        Raise(new ConversationActivity(conversation.Id, ConversationActivityKind.ConsumerMessage, appended.At, appended.Sequence, text, conversation.SkillId));
        return appended;
    }
}
