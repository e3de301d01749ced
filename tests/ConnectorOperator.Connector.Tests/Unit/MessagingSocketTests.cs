using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Connector.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Connector.Tests.Unit;

/// <summary>The socket against a tiny scripted WebSocket peer.</summary>
public sealed class MessagingSocketTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _address = null!;

    /// <summary>What the peer does with each request frame: answers it, ignores it, or closes.</summary>
    private Func<JsonObject, WebSocket, Task> _onRequest = (request, socket) => Answer(socket, request, 200, new JsonObject { ["ok"] = true });

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var request = (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!;
                await _onRequest(request, socket);
            }
        });
        await _app.StartAsync();
        var bound = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _address = new Uri($"ws://127.0.0.1:{bound.Port}/ws");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task Send(WebSocket socket, JsonObject frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    private static Task Answer(WebSocket socket, JsonObject request, int code, JsonObject body) =>
        Send(socket, new JsonObject { ["kind"] = "resp", ["reqId"] = request["id"]!.GetValue<string>(), ["code"] = code, ["body"] = body });

    [Fact]
    public async Task Responses_are_matched_to_their_requests_by_id()
    {
        _onRequest = (request, socket) => Answer(socket, request, 200, new JsonObject { ["echo"] = request["type"]!.GetValue<string>() });
        await using var socket = await MessagingSocket.ConnectAsync(_address, TimeSpan.FromSeconds(5), CancellationToken.None);

        var answers = await Task.WhenAll(
            socket.RequestAsync(".GetClock", new JsonObject(), CancellationToken.None),
            socket.RequestAsync(".ams.routing.SubscribeRoutingTasks", new JsonObject(), CancellationToken.None));

        Assert.Equal(".GetClock", answers[0].GetProperty("echo").GetString());
        Assert.Equal(".ams.routing.SubscribeRoutingTasks", answers[1].GetProperty("echo").GetString());
    }

    [Fact]
    public async Task Error_code_becomes_a_request_exception_with_the_message()
    {
        _onRequest = (request, socket) => Answer(socket, request, 400, new JsonObject { ["msg"] = "bad ring" });
        await using var socket = await MessagingSocket.ConnectAsync(_address, TimeSpan.FromSeconds(5), CancellationToken.None);

        var error = await Assert.ThrowsAsync<MessagingRequestException>(() => socket.RequestAsync(".ams.routing.UpdateRingState", new JsonObject(), CancellationToken.None));

        Assert.Equal(400, error.Code);
        Assert.Contains("bad ring", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unanswered_request_times_out()
    {
        _onRequest = (_, _) => Task.CompletedTask;
        await using var socket = await MessagingSocket.ConnectAsync(_address, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => socket.RequestAsync(".GetClock", new JsonObject(), CancellationToken.None));

        Assert.Contains(".GetClock got no response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_arrive_on_the_channel()
    {
        _onRequest = async (request, socket) =>
        {
            await Send(socket, new JsonObject { ["kind"] = "notification", ["type"] = "routing.RoutingTaskNotification", ["body"] = new JsonObject { ["changes"] = new JsonArray() } });
            await Answer(socket, request, 200, new JsonObject());
        };
        await using var socket = await MessagingSocket.ConnectAsync(_address, TimeSpan.FromSeconds(5), CancellationToken.None);

        await socket.RequestAsync(".ams.routing.SubscribeRoutingTasks", new JsonObject(), CancellationToken.None);
        var notification = await socket.Notifications.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("routing.RoutingTaskNotification", notification.Type);
    }

    [Fact]
    public async Task Close_code_4401_is_reported_as_needing_a_new_login_and_fails_pending_requests()
    {
        _onRequest = (_, socket) => socket.CloseOutputAsync((WebSocketCloseStatus)4401, "Revoked", CancellationToken.None);
        await using var socket = await MessagingSocket.ConnectAsync(_address, TimeSpan.FromSeconds(5), CancellationToken.None);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.RequestAsync(".GetClock", new JsonObject(), CancellationToken.None));
        var closure = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(4401, closure.CloseCode);
        Assert.True(closure.NeedsLogin);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.RequestAsync(".GetClock", new JsonObject(), CancellationToken.None));
    }

    [Theory]
    [InlineData(4401, true)]
    [InlineData(4407, true)]
    [InlineData(1011, true)]
    [InlineData(1000, false)]
    [InlineData(null, false)]
    public void Only_auth_close_codes_need_a_new_login(int? code, bool needsLogin) =>
        Assert.Equal(needsLogin, new SocketClosure(code, "").NeedsLogin);
}
