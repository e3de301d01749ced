using System.Text.Json;

namespace ConnectorOperator.Tests.Contracts;

public sealed class ConnectorStatusReportTests
{
    // The example of docs/connector-contract.md, as a connector writes it.
    private const string Documented = """
        {"state":"Online","reason":"Connected","message":"...","agentUser":"bot1","revision":"abc123",
         "activeConversations":50,"capacity":50,"waitingConversations":3,"offeredAtCapacity":41,"draining":false,
         "components":{
           "conversationalCloud":{"status":"Connected","message":"...","since":"2026-11-21T10:00:00Z"},
           "authentication":{"status":"Connected","message":"...","since":"2026-11-21T10:00:00Z"},
           "bot":{"status":"Unknown","message":"not checked yet","since":"2026-11-21T10:00:00Z"}},
         "lastError":{"reason":"Unauthorized","message":"...","at":"2026-11-21T09:59:00Z"}}
        """;

    [Fact]
    public void The_documented_status_reads_into_the_one_contract_type()
    {
        var report = JsonSerializer.Deserialize(Documented, ConnectorStatusJsonContext.Default.ConnectorStatusReport)!;

        Assert.Equal(ConnectorReportState.Online, report.State);
        Assert.Equal(ConnectorReasons.Connected, report.Reason);
        Assert.Equal(3, report.WaitingConversations);
        Assert.Equal(41, report.OfferedAtCapacity);
        Assert.Equal(ComponentState.Unknown, report.Components!.Bot!.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), report.Components.ConversationalCloud!.Since);
        Assert.Equal(ConnectorReasons.Unauthorized, report.LastError!.Reason);
    }

    [Fact]
    public void Written_status_uses_the_documented_names_and_whole_second_utc_times()
    {
        var report = new ConnectorStatusReport
        {
            State = ConnectorReportState.Draining,
            Components = new ConnectorComponents { Bot = new ComponentReport { Status = ComponentState.NotConnected, Since = new DateTimeOffset(2026, 11, 21, 11, 0, 0, 500, TimeSpan.FromHours(1)) } },
        };

        var json = JsonSerializer.Serialize(report, ConnectorStatusJsonContext.Default.ConnectorStatusReport);

        Assert.Contains("\"state\":\"Draining\"", json, StringComparison.Ordinal);
        Assert.Contains("\"bot\":{\"status\":\"NotConnected\",\"message\":null,\"since\":\"2026-11-21T10:00:00Z\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"lastError\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_state_is_a_json_error_the_poller_reports()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"state\":\"Sleeping\"}", ConnectorStatusJsonContext.Default.ConnectorStatusReport));
    }
}
