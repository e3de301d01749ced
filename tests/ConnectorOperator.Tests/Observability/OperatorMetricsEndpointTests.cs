using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.TestSupport.Tools;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Observability;

public sealed class OperatorMetricsEndpointTests
{
    [Fact]
    public async Task Metrics_follow_the_agentconnector_status_and_its_series_go_when_it_is_deleted()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("sales", users: 3, DeploymentEnvironment.Production));
        var online = await h.WaitForAsync("sales", Online, "the connector is Online and Ready");

        // The gauges follow the status the reconciler wrote; wait for a scrape that shows it.
        PrometheusText text = null!;
        await Eventually(async () =>
        {
            text = new PrometheusText(await h.ScrapeOperatorAsync());
            return text.Value(Series("connector_operator_agentconnector_ready_replicas")) == online.Status!.ReadyReplicas;
        }, "the ready gauge equals status.readyReplicas");

        Assert.Equal(2, text.Value(Series("connector_operator_agentconnector_desired_replicas")));
        Assert.Equal(1, text.Value("connector_operator_agentconnector_state{namespace=\"bots\",name=\"sales\",state=\"Online\"}"));
        Assert.Equal(0, text.Value("connector_operator_agentconnector_state{namespace=\"bots\",name=\"sales\",state=\"Offline\"}"));
        Assert.Equal(0, text.Value("connector_operator_agentconnector_state{namespace=\"bots\",name=\"sales\",state=\"Stopped\"}"));
        Assert.Equal(1, text.Value("connector_operator_agentconnector_info{namespace=\"bots\",name=\"sales\",environment=\"Production\",conversation_type=\"Messaging\"}"));
        Assert.True(text.Sum("connector_operator_reconcile_total", "result=\"success\"") >= 1);
        Assert.True(text.Value("connector_operator_reconcile_duration_seconds_count") >= 1);
        Assert.True(text.Value("connector_operator_workqueue_adds_total") >= 1);
        Assert.True(text.Value("connector_operator_api_requests_total{verb=\"create\",resource=\"pods\",code=\"201\"}") >= 2);
        Assert.True(text.Value("connector_operator_api_requests_total{verb=\"update\",resource=\"agentconnectors/status\",code=\"200\"}") >= 1);
        Assert.True(text.Value("connector_operator_api_requests_total{verb=\"watch\",resource=\"pods\",code=\"200\"}") >= 1);
        Assert.Equal(1, text.Value("connector_operator_watch_relists_total{resource=\"agentconnectors\",reason=\"initial\"}"));
        Assert.Equal(2, text.Value("connector_operator_cache_objects{resource=\"pods\"}"));
        Assert.Equal(1, text.Value("connector_operator_cache_objects{resource=\"agentconnectors\"}"));
        Assert.Equal(1, text.Value("connector_operator_leader"));
        Assert.True(text.Value("connector_operator_status_polls_total{result=\"ok\"}") >= 1);
        Assert.True(text.Value("process_cpu_seconds_total") > 0);
        Assert.True(text.Value("dotnet_threadpool_threads") > 0);
        Assert.DoesNotContain("sales-user", string.Join('\n', text.Samples.Keys), StringComparison.Ordinal);

        await h.Client.DeleteAsync(AgentConnector.Resource, Namespace, "sales");
        await Eventually(async () => await h.GetAsync("sales") is null, "the AgentConnector is gone");
        await Eventually(async () => !(await h.ScrapeOperatorAsync()).Contains("name=\"sales\"", StringComparison.Ordinal),
            "no series names the deleted AgentConnector");
    }

    [PromtoolFact]
    public async Task Operator_exposition_passes_promtool_check_metrics()
    {
        await using var h = await StartAsync();
        await h.ApplyAsync(Connector("lint", users: 1));
        await h.WaitForAsync("lint", Online, "the connector is Online");
        await Eventually(async () => (await h.ScrapeOperatorAsync()).Contains("name=\"lint\"", StringComparison.Ordinal), "per-connector series");

        Promtool.AssertCleanMetrics(await h.ScrapeOperatorAsync());
    }

    private static string Series(string name) => name + "{namespace=\"bots\",name=\"sales\"}";

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"timed out waiting until {what}");
    }
}
