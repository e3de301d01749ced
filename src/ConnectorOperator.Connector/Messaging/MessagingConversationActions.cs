using System.Text.Json.Nodes;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>A conversation's service-side actions over the messaging socket.</summary>
internal sealed class MessagingConversationActions : IConversationActions
{
    private readonly Func<string, JsonNode, CancellationToken, Task> _request;
    private readonly string _conversationId;
    private readonly string _dialogId;
    private readonly string _agentId;
    private readonly string _role;

    public MessagingConversationActions(Func<string, JsonNode, CancellationToken, Task> request, string conversationId, string dialogId, string agentId, string role)
    {
        _request = request;
        _conversationId = conversationId;
        _dialogId = dialogId;
        _agentId = agentId;
        _role = role;
    }

    public Task PublishTextAsync(string text, CancellationToken cancellationToken) =>
        PublishAsync(new JsonObject { ["type"] = "ContentEvent", ["contentType"] = "text/plain", ["message"] = text }, cancellationToken);

    public Task PublishStructuredAsync(JsonNode content, CancellationToken cancellationToken) =>
        PublishAsync(new JsonObject { ["type"] = "RichContentEvent", ["content"] = content.Parent is null ? content : content.DeepClone() }, cancellationToken);

    public Task AcknowledgeAsync(string status, IReadOnlyList<long> sequences, CancellationToken cancellationToken) =>
        PublishAsync(new JsonObject
        {
            ["type"] = "AcceptStatusEvent",
            ["status"] = status,
            ["sequenceList"] = new JsonArray([.. sequences.Select(s => (JsonNode?)JsonValue.Create(s))]),
        }, cancellationToken);

    public Task TransferAsync(string skillId, CancellationToken cancellationToken) =>
        _request(".ams.cm.UpdateConversationField", new JsonObject
        {
            ["conversationId"] = _conversationId,
            ["conversationField"] = new JsonArray(
                new JsonObject { ["field"] = "ParticipantsChange", ["type"] = "REMOVE", ["role"] = _role, ["userId"] = _agentId },
                new JsonObject { ["field"] = "Skill", ["type"] = "UPDATE", ["skill"] = skillId }),
        }, cancellationToken);

    public Task CloseAsync(CancellationToken cancellationToken) =>
        _request(".ams.cm.UpdateConversationField", new JsonObject
        {
            ["conversationId"] = _conversationId,
            ["conversationField"] = new JsonArray(
                new JsonObject { ["field"] = "ConversationStateField", ["conversationState"] = "CLOSE" }),
        }, cancellationToken);

    private Task PublishAsync(JsonObject messagingEvent, CancellationToken cancellationToken) =>
        _request(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = _dialogId,
            ["conversationId"] = _conversationId,
            ["event"] = messagingEvent,
        }, cancellationToken);
}
