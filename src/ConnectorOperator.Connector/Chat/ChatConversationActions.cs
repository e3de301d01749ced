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

    /// <summary>Chat has no rich content: send the structured content's text parts as a line.</summary>
    public Task PublishStructuredAsync(JsonNode content, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        Collect(content, texts);
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

    private static void Collect(JsonNode? node, List<string> texts)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "text"
                    && obj["text"] is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    texts.Add(text);
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    Collect(child, texts);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, texts);
                }

                break;
            default:
                break;
        }
    }
}
