using System.Diagnostics;
using System.Net;
using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Observability;

public sealed class OperatorTracingTests
{
    [Fact]
    public async Task A_reconcile_is_a_span_with_its_api_calls_as_children_each_status_poll_is_a_span_of_its_pod_and_traces_reach_an_otlp_receiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var spans = new List<Activity>();
        await using var h = await StartAsync(
            operatorArguments:
            [
                $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Address}",
                "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
                "--OTEL_BSP_SCHEDULE_DELAY=200",
            ],
            configureServices: services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        await h.ApplyAsync(Connector("traced", users: 1));
        await h.WaitForAsync("traced", Online, "Online");

        Activity[] Snapshot()
        {
            lock (spans) return [.. spans];
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !Snapshot().Any(Polled)) await Task.Delay(100);
        var all = Snapshot();

        var reconciles = all.Where(s => s.OperationName == "reconcile AgentConnector" && (string?)s.GetTagItem("k8s.name") == "traced").ToList();
        Assert.NotEmpty(reconciles);
        Assert.All(reconciles, r => Assert.Equal("bots", r.GetTagItem("k8s.namespace")));
        Assert.Contains(reconciles, r => r.GetTagItem("reconcile.result") is "success" or "requeue");
        Assert.Contains(reconciles, r => r.GetTagItem("reconcile.requeue_after_seconds") is double);
        var ids = reconciles.Select(r => r.SpanId).ToHashSet();
        Assert.Contains(all, s => s.OperationName == "create pods" && ids.Contains(s.ParentSpanId) && (int?)s.GetTagItem("http.response.status_code") == 201);
        // A new connector's first poll is made by whichever gets there first: the background poller (a root span) or
        // a reconcile that needs the report now (its child). Either way the span names the pod, and has no other parent.
        var polls = all.Where(Polled).ToList();
        Assert.NotEmpty(polls);
        Assert.All(polls, p => Assert.True(p.ParentSpanId == default || ids.Contains(p.ParentSpanId), $"poll span {p.SpanId} has a parent that is no reconcile of the connector"));

        await receiver.WaitForTracesAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("application/x-protobuf", receiver.ContentTypes);
    }

    private static bool Polled(Activity span) =>
        span.OperationName == "poll connector status" && ((string?)span.GetTagItem("k8s.pod.name"))?.StartsWith("traced", StringComparison.Ordinal) == true;

    /// <summary>A loopback OTLP/HTTP receiver: answers 200 to POST /v1/traces and remembers what came.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _traces = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private OtlpReceiver(WebApplication app) => _app = app;

        public List<string> ContentTypes { get; } = [];

        public Uri Address { get; private set; } = null!;

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new OtlpReceiver(app);
            app.MapPost("/v1/traces", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                lock (receiver.ContentTypes) receiver.ContentTypes.Add(request.ContentType ?? "");
                if (body.Length > 0) receiver._traces.TrySetResult();
                return Results.StatusCode((int)HttpStatusCode.OK);
            });
            await app.StartAsync();
            receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return receiver;
        }

        public Task WaitForTracesAsync(TimeSpan timeout) => _traces.Task.WaitAsync(timeout);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
