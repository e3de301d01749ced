using System.Diagnostics;

namespace ConnectorOperator.Connector.Health;

/// <summary>
/// The connector's trace source: a span per relayed message and, inside it, one per bot call (whose HTTP request
/// carries <c>traceparent</c>, so a bot that traces joins the same trace). Spans are recorded only when tracing is on.
/// </summary>
public static class ConnectorActivity
{
    public const string SourceName = "ConnectorOperator.Connector";

    public static ActivitySource Source { get; } = new(SourceName);
}
