using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>
/// One messaging socket. The engine enqueues frames while holding its lock; a single writer loop owns
/// the socket's send side so frames never interleave.
/// </summary>
internal sealed class AgentConnection(string id, AgentSession session, WebSocket socket)
{
    private readonly Channel<Outbound> _outbox = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });

    public string Id { get; } = id;

    public AgentSession Session { get; } = session;

    public string? RoutingSubscriptionId { get; set; }

    public List<ExConversationSubscription> ExSubscriptions { get; } = [];

    public HashSet<Conversation> MessagingSubscriptions { get; } = [];

    public bool IsClosing { get; private set; }

    public void Send(JsonObject frame) => SendText(frame.ToJsonString());

    /// <summary>Sends a frame already serialized, so one frame fanned out to many sockets is serialized once.</summary>
    public void SendText(string frame)
    {
        if (!IsClosing)
        {
            _outbox.Writer.TryWrite(new Outbound(frame, null, null));
        }
    }

    /// <summary>Closes with a code after the frames already queued.</summary>
    public void Close(WebSocketCloseStatus code, string reason)
    {
        if (IsClosing)
        {
            return;
        }

        IsClosing = true;
        _outbox.Writer.TryWrite(new Outbound(null, code, reason));
        _outbox.Writer.TryComplete();
    }

    /// <summary>Drops the connection without a close handshake (the client sees 1006).</summary>
    public void Abort()
    {
        IsClosing = true;
        _outbox.Writer.TryComplete();
        socket.Abort();
    }

    public async Task RunWriterAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync(ct))
            {
                if (item.Text is not null)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(item.Text), WebSocketMessageType.Text, true, ct);
                }
                else if (item.CloseCode is { } code)
                {
                    await socket.CloseOutputAsync(code, item.CloseReason, ct);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the server is stopping: nothing left to deliver to.
        }
    }

    private sealed record Outbound(string? Text, WebSocketCloseStatus? CloseCode, string? CloseReason);
}
