using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Messaging;

namespace ConnectorOperator.Connector.Chat;

/// <summary>A chat's service-side actions over the Chat agent REST API.</summary>
internal sealed class ChatConversationActions : IConversationActions
{
    private readonly ChatApi _api;
    private readonly Uri _chat;

    public ChatConversationActions(ChatApi api, Uri chat)
    {
        _api = api;
        _chat = chat;
    }

    public Task PublishTextAsync(string text, CancellationToken cancellationToken) =>
        _api.PostAsync(ChatApi.Under(_chat, "events"), new JsonObject
        {
            ["event"] = new JsonObject { ["@type"] = "line", ["text"] = text, ["textType"] = "plain" },
        }, cancellationToken);

    /// <summary>
    /// Chat has no rich content: send the structured content's text parts as a line. A tooltip (what a screen reader
    /// says for a button or an image, set by the bot or by the shaper for accessibility) is kept as text too, so
    /// flattening does not lose what the card tells a consumer who cannot see it.
    /// </summary>
    public Task PublishStructuredAsync(JsonNode content, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        foreach (var obj in content.DescendantsAndSelf().OfType<JsonObject>())
        {
            var text = obj["type"].Str() == "text" ? obj["text"].Str() : obj["tooltip"].Str();
            if (!string.IsNullOrWhiteSpace(text))
            {
                texts.Add(text);
            }
        }

        return texts.Count == 0 ? Task.CompletedTask : PublishTextAsync(string.Join(" ", texts), cancellationToken);
    }

    public Task AcknowledgeAsync(string status, IReadOnlyList<long> sequences, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task TransferAsync(string skillId, CancellationToken cancellationToken) =>
        _api.PostAsync(ChatApi.Under(_chat, "transfer"), new JsonObject
        {
            ["transfer"] = new JsonObject { ["skill"] = new JsonObject { ["id"] = skillId }, ["text"] = "" },
        }, cancellationToken);

    public Task CloseAsync(CancellationToken cancellationToken) =>
        _api.PostAsync(ChatApi.Under(_chat, "events"), new JsonObject
        {
            ["event"] = new JsonObject { ["@type"] = "state", ["state"] = "ended" },
        }, cancellationToken);
}
