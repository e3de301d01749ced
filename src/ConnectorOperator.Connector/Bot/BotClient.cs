using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Cloud;
using ConnectorOperator.Connector.Configuration;
using ConnectorOperator.Connector.Health;
using ConnectorOperator.Connector.Messaging;

namespace ConnectorOperator.Connector.Bot;

/// <summary>
/// Posts events to the bot endpoint (or the external webhook, with its bearer key) and reads the
/// bot contract's answer. Reports the bot component's health and round-trip metrics.
/// </summary>
public sealed class BotClient : IBotClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http;
    private readonly ConnectorSettings _settings;
    private readonly HealthState _health;
    private readonly ConnectorMetrics _metrics;
    private readonly SecretRedactor _redactor;
    private readonly string _answered;
    private readonly string _probed;
    private readonly ApigeeTokenSource? _apigee;

    public BotClient(HttpClient http, ConnectorSettings settings, HealthState health, ConnectorMetrics metrics, SecretRedactor redactor, ApigeeTokenSource? apigee = null)
    {
        _http = http;
        _apigee = settings.ExternalWebhookUrl is null ? null : apigee;
        _settings = settings;
        _health = health;
        _metrics = metrics;
        _redactor = redactor;
        _answered = $"the bot at {Target.Authority} answered";
        _probed = $"the bot at {Target.Authority} answered its health probe";
    }

    private Uri Target => _settings.ExternalWebhookUrl ?? _settings.BotEndpoint;

    public async Task<BotAnswer> SendAsync(BotEvent botEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(botEvent);
        var payload = Payload(botEvent.ConversationId, botEvent.Type, botEvent.Text, botEvent.SkillId, botEvent.ConsumerId);
        if (botEvent.ButtonPayload is { } buttonPayload)
        {
            payload["event"]!["buttonPayload"] = buttonPayload;
        }

        var text = await PostAsync(payload, measure: true, cancellationToken);
        try
        {
            var answer = Parse(text);
            _health.SetComponent(HealthComponent.Bot, ComponentState.Connected, _answered);
            return answer;
        }
        catch (JsonException)
        {
            throw Fail($"the bot at {Target.Authority} answered with invalid JSON");
        }
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        // Probes stay out of the round-trip histogram: it describes conversation traffic.
        await PostAsync(Payload("", BotEventType.HealthCheck, "", null, null), measure: false, cancellationToken);
        _health.SetComponent(HealthComponent.Bot, ComponentState.Connected, _probed);
    }

    private JsonObject Payload(string conversationId, string type, string text, string? skillId, string? consumerId) => new()
    {
        ["botId"] = _settings.BotId,
        ["conversationId"] = conversationId,
        ["conversationType"] = _settings.ConversationType.ToString(),
        ["accountId"] = _settings.AccountId,
        ["agentUser"] = _settings.AgentUser,
        ["event"] = new JsonObject { ["type"] = type, ["text"] = text },
        ["context"] = new JsonObject
        {
            ["skillId"] = skillId,
            ["consumerId"] = consumerId,
            ["accessibility"] = _settings.Accessibility,
        },
    };

    /// <summary>One call to the bot: the answer's body on 2xx; any failure marks the bot NotConnected and throws.</summary>
    private async Task<string> PostAsync(JsonObject payload, bool measure, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Target)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (_apigee is not null)
        {
            try
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _apigee.GetAsync(cancellationToken));
            }
            catch (ApigeeTokenException ex)
            {
                throw Fail($"no token for the external webhook at {Target.Authority}: {ex.Message}");
            }
        }
        else if (_settings.ExternalWebhookUrl is not null && !string.IsNullOrEmpty(_settings.ExternalWebhookApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ExternalWebhookApiKey);
        }

        using var activity = ConnectorActivity.Source.StartActivity("bot call", ActivityKind.Client);
        activity?.SetTag("server.address", Target.Authority);
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (measure)
            {
                _metrics.BotRoundTrip(Stopwatch.GetElapsedTime(started));
            }

            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && _apigee is not null)
                {
                    // Revoked or expired early: the next call gets a new token.
                    _apigee.Invalidate();
                }

                throw Fail($"the bot at {Target.Authority} answered {(int)response.StatusCode}");
            }

            return text;
        }
        catch (HttpRequestException ex)
        {
            throw Fail($"the bot at {Target.Authority} is unreachable: {_redactor.Redact(ex.Message)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail($"the bot at {Target.Authority} did not answer within {CallTimeout.TotalSeconds:0} s");
        }
    }

    private BotUnreachableException Fail(string message)
    {
        Activity.Current?.SetStatus(ActivityStatusCode.Error, message);
        _metrics.BotError();
        _health.SetComponent(HealthComponent.Bot, ComponentState.NotConnected, message);
        _health.RecordError(ConnectorReasons.BotUnreachable, message);
        return new BotUnreachableException(message);
    }

    internal static BotAnswer Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return BotAnswer.None;
        }

        var root = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("the answer is not an object");
        var replies = new List<BotReply>();
        if (root["replies"] is JsonArray list)
        {
            foreach (var item in list.OfType<JsonObject>())
            {
                var replyText = item["text"].Str();
                // Detached, not copied: the parsed answer is thrown away once read.
                var structured = item["structuredContent"];
                item.Remove("structuredContent");
                if (!string.IsNullOrEmpty(replyText) || structured is not null)
                {
                    replies.Add(new BotReply(replyText, structured));
                }
            }
        }

        BotAction? action = null;
        if (root["action"] is JsonObject a && a["type"].Str() is { } type && type is BotAction.Escalate or BotAction.Close)
        {
            var skill = a["skillId"].Str()
                ?? (a["skillId"] is JsonValue nv && nv.TryGetValue<long>(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
            action = new BotAction(type, string.IsNullOrWhiteSpace(skill) ? null : skill);
        }

        var seen = root["seen"] is JsonValue seenValue && seenValue.TryGetValue<bool>(out var b) && b;
        return new BotAnswer(replies, action, seen);
    }
}
