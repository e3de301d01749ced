using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ConnectorOperator.Connector.Messaging;

/// <summary>A notification frame from the messaging socket.</summary>
public sealed record SocketNotification(string Type, JsonElement Body);

/// <summary>How the socket ended: the close code the peer sent (null when the connection just broke).</summary>
public sealed record SocketClosure(int? CloseCode, string Description)
{
    /// <summary>Codes that mean the bearer is no longer good: log in again before reconnecting.</summary>
    public bool NeedsLogin => CloseCode is 4401 or 4407 or 1011;
}

/// <summary>A request the service answered with a code above 399.</summary>
public sealed class MessagingRequestException : Exception
{
    public MessagingRequestException(string type, int code, string message)
        : base($"{type} failed with {code}: {message}")
    {
        Code = code;
    }

    public MessagingRequestException()
    {
    }

    public MessagingRequestException(string message)
        : base(message)
    {
    }

    public MessagingRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int Code { get; }
}

/// <summary>
/// One messaging WebSocket: correlates requests with responses by id, times requests out, and hands
/// notifications to a channel. Sending while closed fails at once.
/// </summary>
public sealed class MessagingSocket : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly WebSocket _socket;
    private readonly TimeSpan _requestTimeout;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<SocketNotification> _notifications = Channel.CreateUnbounded<SocketNotification>(new() { SingleReader = true });
    private readonly TaskCompletionSource<SocketClosure> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private long _nextId;
    private int _disposed;

    public MessagingSocket(WebSocket socket, TimeSpan requestTimeout)
    {
        _socket = socket;
        _requestTimeout = requestTimeout;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<MessagingSocket> ConnectAsync(Uri uri, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.FromSeconds(60);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout > ConnectTimeout ? requestTimeout : ConnectTimeout);
        try
        {
            await client.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new MessagingSocket(client, requestTimeout);
    }

    public ChannelReader<SocketNotification> Notifications => _notifications.Reader;

    // Written straight from the caller's body (the same bytes as a JsonObject frame's ToJsonString), so
    // the body is never copied to be attached to a frame and a retried request can reuse it as it is.
    private static ReadOnlyMemory<byte> RequestFrame(string id, string type, JsonNode body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "req");
            writer.WriteString("id", id);
            writer.WriteString("type", type);
            writer.WritePropertyName("body");
            body.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public Task<SocketClosure> Closed => _closed.Task;

    public bool IsOpen => _socket.State == WebSocketState.Open && !_closed.Task.IsCompleted;

    /// <summary>Sends a request and waits for its response body; throws on an error code or timeout.</summary>
    public async Task<JsonElement> RequestAsync(string type, JsonNode body, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new WebSocketException(WebSocketError.InvalidState, $"{type} not sent: the messaging socket is closed");
        }

        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = pending;
        try
        {
            var bytes = RequestFrame(id, type, body);
            try
            {
                await _sendLock.WaitAsync(cancellationToken);
                try
                {
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or WebSocketException)
            {
                // Closed under our feet: the request never left, so the caller may safely try again.
                throw new WebSocketException(WebSocketError.InvalidState, $"{type} not sent: the messaging socket is closed");
            }

            var response = await pending.Task.WaitAsync(_requestTimeout, cancellationToken);
            var code = response.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 200;
            var responseBody = response.TryGetProperty("body", out var b) ? b : default;
            if (code > 399)
            {
                var message = responseBody.ValueKind == JsonValueKind.Object && responseBody.TryGetProperty("msg", out var m)
                    ? m.ToString()
                    : "no message";
                throw new MessagingRequestException(type, code, message);
            }

            return responseBody;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{type} got no response within {_requestTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer may already be gone; closing is best effort.
            }
        }

        Finish(new SocketClosure(1000, "closed by the connector"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await CloseAsync(CancellationToken.None);
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiveLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        var closure = new SocketClosure(null, "connection lost");
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult result;
                do
                {
                    var memory = buffer.GetMemory(8 * 1024);
                    result = await _socket.ReceiveAsync(memory, _stop.Token);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    closure = new SocketClosure((int?)_socket.CloseStatus, _socket.CloseStatusDescription ?? "");
                    break;
                }

                Dispatch(buffer.WrittenMemory);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            closure = new SocketClosure(null, ex is OperationCanceledException ? "closed by the connector" : "connection lost");
        }

        Finish(closure);
    }

    private void Dispatch(ReadOnlyMemory<byte> frame)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(frame);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
        if (kind == "resp" && root.TryGetProperty("reqId", out var reqId))
        {
            if (_pending.TryGetValue(reqId.ToString(), out var pending))
            {
                pending.TrySetResult(root);
            }
        }
        else if (kind == "notification" && root.TryGetProperty("type", out var type))
        {
            var body = root.TryGetProperty("body", out var b) ? b : default;
            _notifications.Writer.TryWrite(new SocketNotification(type.GetString() ?? "", body));
        }
    }

    private void Finish(SocketClosure closure)
    {
        if (!_closed.TrySetResult(closure))
        {
            return;
        }

        _notifications.Writer.TryComplete();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "the messaging socket closed before the response came"));
        }
    }
}
