using System.Net.WebSockets;

namespace ConnectorOperator.Simulator.Cloud;

internal static class CloseCodes
{
    /// <summary>The bearer is no longer good (expired, revoked, logged out elsewhere).</summary>
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;

    public const WebSocketCloseStatus Normal = WebSocketCloseStatus.NormalClosure;
}
