using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Cloud;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConnectorOperator.Simulator.Http;

/// <summary>The messaging WebSocket: JSON request/response frames plus notifications.</summary>
internal static class MessagingSocketEndpoint
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public static void Map(IEndpointRouteBuilder app, CloudEngine engine)
    {
        app.Map("/ws_api/account/{accountId}/messaging/brand/{bearer}", async (string accountId, string bearer, HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = engine.Attach(accountId, bearer, socket);
            if (connection is null)
            {
                await CloseQuietlyAsync(socket, CloseCodes.Unauthorized, "unauthorized", context.RequestAborted);
                return;
            }

            await ServeAsync(engine, connection, socket, context.RequestAborted);
        });
    }

    private static async Task ServeAsync(CloudEngine engine, AgentConnection connection, WebSocket socket, CancellationToken aborted)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var writer = connection.RunWriterAsync(aborted);

        // Once the server has said its last word, give the client a moment to answer the close, then stop reading.
        var grace = writer.ContinueWith(_ => reading.CancelAfter(CloseGrace), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            while (true)
            {
                var text = await ReceiveTextAsync(socket, reading.Token);
                if (text is null)
                {
                    break;
                }

                await HandleFrameAsync(engine, connection, text, reading.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer vanished, was dropped by a fault, or the server is stopping.
        }
        finally
        {
            engine.Detach(connection);
            connection.Close(WebSocketCloseStatus.NormalClosure, "bye");
            await writer;
            await grace;
        }
    }

    private static async Task<string?> ReceiveTextAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task HandleFrameAsync(CloudEngine engine, AgentConnection connection, string text, CancellationToken ct)
    {
        JsonObject? frame;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return;
        }

        if (frame is null || HttpJson.Str(frame, "kind") != "req")
        {
            return;
        }

        var requestId = frame["id"]?.DeepClone();
        var type = HttpJson.Str(frame, "type") ?? "";
        if (engine.Faults.TakeRequestFault(type) is { } fault)
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, engine.Time, ct);
            }

            if (fault.FailWithCode is { } code)
            {
                engine.Respond(connection, requestId, () => Outcome.Error(code, "injected failure"));
                return;
            }
        }

        var body = frame["body"] as JsonObject ?? [];
        engine.Respond(connection, requestId, () => Serve(engine, connection, type, body));
    }

    private static Outcome Serve(CloudEngine engine, AgentConnection connection, string type, JsonObject body) =>
        type switch
        {
            ".GetClock" => Outcome.Ok(new JsonObject { ["currentTime"] = engine.Time.GetUtcNow().ToUnixTimeMilliseconds() }),
            ".ams.routing.SetAgentState" => engine.SetAgentState(connection, HttpJson.Str(body, "agentUserId"), HttpJson.Str(body, "availability")),
            ".ams.aam.SubscribeExConversations" => engine.SubscribeExConversations(connection, Strings(body["agentIds"]), Strings(body["convState"])),
            ".ams.routing.SubscribeRoutingTasks" => engine.SubscribeRoutingTasks(connection),
            ".ams.routing.UpdateRingState" => engine.UpdateRingState(connection, HttpJson.Str(body, "ringId"), HttpJson.Str(body, "ringState")),
            ".ams.ms.SubscribeMessagingEvents" => engine.SubscribeMessagingEvents(
                connection, HttpJson.Str(body, "conversationId") ?? HttpJson.Str(body, "dialogId"), HttpJson.Long(body, "fromSeq") ?? 0),
            ".ams.ms.PublishEvent" => engine.PublishEvent(
                connection, HttpJson.Str(body, "conversationId") ?? HttpJson.Str(body, "dialogId"), body["event"] as JsonObject),
            ".ams.cm.UpdateConversationField" => engine.UpdateConversationField(connection, HttpJson.Str(body, "conversationId"), body["conversationField"] as JsonArray),
            _ => Outcome.Error(400, $"unknown request type {type}"),
        };

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString()).OfType<string>().ToList()
            : [];

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus code, string reason, CancellationToken ct)
    {
        try
        {
            await socket.CloseOutputAsync(code, reason, ct);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Nobody left to tell.
        }
    }
}
