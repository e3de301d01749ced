using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Tests;

/// <summary>A bare-bones agent client speaking the protocol by hand: the simulator's counterpart in tests.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _notifications = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private int _nextId;

    private TestAgent(HttpClient http, string accountId, string bearer, string csrf, string userId)
    {
        Http = http;
        AccountId = accountId;
        Bearer = bearer;
        Csrf = csrf;
        UserId = userId;
    }

    public HttpClient Http { get; }

    public string AccountId { get; }

    public string Bearer { get; }

    public string Csrf { get; }

    public string UserId { get; }

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>When set, notifications go here (on the receive loop: hand work off, never await a request inline).</summary>
    public Action<JsonObject>? NotificationHandler { get; set; }

    public static HttpClient NewHttp(ConversationalCloudSimulator sim) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = sim.CsdsAddress };

    public static Task<TestAgent> LoginAsync(ConversationalCloudSimulator sim, string accountId, string loginName) =>
        LoginAsync(sim, accountId, ApiKeyBody(loginName));

    public static JsonObject ApiKeyBody(string loginName) => new()
    {
        ["username"] = loginName,
        ["appKey"] = $"{loginName}-app-key",
        ["secret"] = $"{loginName}-app-secret",
        ["accessToken"] = $"{loginName}-access-token",
        ["accessTokenSecret"] = $"{loginName}-access-token-secret",
    };

    public static async Task<TestAgent> LoginAsync(ConversationalCloudSimulator sim, string accountId, JsonObject credentials)
    {
        var http = NewHttp(sim);
        var response = await http.PostAsync($"/api/account/{accountId}/login?v=1.3", JsonContent(credentials));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            http.Dispose();
            throw new HttpRequestException($"login failed: {(int)response.StatusCode}", null, response.StatusCode);
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return new TestAgent(http, accountId, body["bearer"]!.GetValue<string>(), body["csrf"]!.GetValue<string>(), body["config"]!["userId"]!.GetValue<string>());
    }

    /// <summary>Another client on the same login (bearer, csrf), as after a dropped socket.</summary>
    public TestAgent SameSessionNewSocket() =>
        new(new HttpClient { BaseAddress = Http.BaseAddress }, AccountId, Bearer, Csrf, UserId);

    public static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public async Task<HttpStatusCode> RefreshAsync()
    {
        using var response = await Http.PostAsync($"/api/account/{AccountId}/refresh?v=1.3", JsonContent(new JsonObject { ["csrf"] = Csrf }));
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> LogoutAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/account/{AccountId}/logout?v=1.3");
        request.Headers.Authorization = new("Bearer", Bearer);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task ConnectAsync()
    {
        _socket = new ClientWebSocket();
        var ws = new UriBuilder(Http.BaseAddress!) { Scheme = "ws", Path = $"/ws_api/account/{AccountId}/messaging/brand/{Bearer}", Query = "v=2.1" }.Uri;
        await _socket.ConnectAsync(ws, CancellationToken.None);
        _ = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>ONLINE, subscribe to our conversations and to routing tasks: what a connector does after connecting.</summary>
    public async Task GoOnlineAsync()
    {
        Assert.Equal(200, (await RequestAsync(".ams.routing.SetAgentState", new JsonObject { ["agentUserId"] = UserId, ["availability"] = "ONLINE" })).Code);
        Assert.Equal(200, (await RequestAsync(".ams.aam.SubscribeExConversations", new JsonObject { ["convState"] = new JsonArray("OPEN"), ["agentIds"] = new JsonArray(UserId) })).Code);
        Assert.Equal(200, (await RequestAsync(".ams.routing.SubscribeRoutingTasks", [])).Code);
    }

    public async Task<(int Code, JsonObject Body)> RequestAsync(string type, JsonObject body)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tcs = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var frame = new JsonObject { ["kind"] = "req", ["id"] = id, ["type"] = type, ["body"] = body };
        await _socket!.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var response = await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (response["code"]!.GetValue<int>(), response["body"] as JsonObject ?? []);
    }

    public async Task<JsonObject> WaitForNotificationAsync(string type, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null)
    {
        JsonObject? found = null;
        await Eventually.TrueAsync(
            () =>
            {
                lock (_notifications)
                {
                    found = _notifications.FirstOrDefault(n => n["type"]?.GetValue<string>() == type && (match?.Invoke((JsonObject)n["body"]!) ?? true));
                    if (found is not null)
                    {
                        _notifications.Remove(found);
                    }

                    return found is not null;
                }
            },
            timeout ?? TimeSpan.FromSeconds(10),
            $"notification {type}");
        return (JsonObject)found!["body"]!;
    }

    public bool HasNotification(string type, Func<JsonObject, bool>? match = null)
    {
        lock (_notifications)
        {
            return _notifications.Any(n => n["type"]?.GetValue<string>() == type && (match?.Invoke((JsonObject)n["body"]!) ?? true));
        }
    }

    /// <summary>Waits for a WAITING ring and returns (ringId, conversationId).</summary>
    public async Task<(string RingId, string ConversationId)> WaitForRingAsync(TimeSpan? timeout = null)
    {
        var body = await WaitForNotificationAsync("routing.RoutingTaskNotification", b => RingState(b) == "WAITING", timeout);
        var result = body["changes"]![0]!["result"]!;
        return (result["ringsDetails"]![0]!["ringId"]!.GetValue<string>(), result["conversationId"]!.GetValue<string>());
    }

    public static string? RingState(JsonObject body) => body["changes"]?[0]?["result"]?["ringsDetails"]?[0]?["ringState"]?.GetValue<string>();

    public async Task<string> AcceptNextRingAsync(TimeSpan? timeout = null)
    {
        var (ringId, conversationId) = await WaitForRingAsync(timeout);
        Assert.Equal(200, (await RequestAsync(".ams.routing.UpdateRingState", new JsonObject { ["ringId"] = ringId, ["ringState"] = "ACCEPTED" })).Code);
        return conversationId;
    }

    public Task<(int Code, JsonObject Body)> PublishTextAsync(string conversationId, string text) =>
        RequestAsync(".ams.ms.PublishEvent", new JsonObject
        {
            ["dialogId"] = conversationId,
            ["conversationId"] = conversationId,
            ["event"] = new JsonObject { ["type"] = "ContentEvent", ["contentType"] = "text/plain", ["message"] = text },
        });

    public Task<(int Code, JsonObject Body)> TransferAsync(string conversationId, string skillId) =>
        RequestAsync(".ams.cm.UpdateConversationField", new JsonObject
        {
            ["conversationId"] = conversationId,
            ["conversationField"] = new JsonArray
            {
                new JsonObject { ["field"] = "ParticipantsChange", ["type"] = "REMOVE", ["role"] = "ASSIGNED_AGENT", ["userId"] = UserId },
                new JsonObject { ["field"] = "Skill", ["type"] = "UPDATE", ["skill"] = skillId },
            },
        });

    public Task<(int Code, JsonObject Body)> CloseConversationAsync(string conversationId) =>
        RequestAsync(".ams.cm.UpdateConversationField", new JsonObject
        {
            ["conversationId"] = conversationId,
            ["conversationField"] = new JsonArray { new JsonObject { ["field"] = "ConversationStateField", ["conversationState"] = "CLOSE" } },
        });

    public Task<(int Code, JsonObject Body)> SubscribeMessagesAsync(string conversationId, long fromSeq = 0) =>
        RequestAsync(".ams.ms.SubscribeMessagingEvents", new JsonObject { ["dialogId"] = conversationId, ["conversationId"] = conversationId, ["fromSeq"] = fromSeq });

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket!.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", CancellationToken.None);
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var frame = (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
                if (frame["kind"]?.GetValue<string>() == "resp")
                {
                    if (_pending.TryRemove(frame["reqId"]!.GetValue<string>(), out var tcs))
                    {
                        tcs.TrySetResult(frame);
                    }
                }
                else if (NotificationHandler is { } handler)
                {
                    handler(frame);
                }
                else
                {
                    lock (_notifications)
                    {
                        _notifications.Add(frame);
                    }
                }
            }
        }
        catch (Exception)
        {
            // Dropped without a close frame (the client sees 1006): no close status.
            _closed.TrySetResult(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            _socket.Abort();
            _socket.Dispose();
        }

        Http.Dispose();
        await Task.CompletedTask;
    }
}
