using System.IO.Pipelines;
using System.Net;
using System.Text;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

/// <summary>
/// Bad input from the server: a malformed JSON line, a stream cut inside an event, a Status where an object
/// belongs. Each gives a clear error and the watch recovers. The API server double always answers well-formed
/// JSON, so a scripted handler plays the server here.
/// </summary>
public sealed class MalformedWatchTests
{
    private const string List = """{"apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"10"},"items":[]}""";

    private static string Added(string name, int rv) =>
        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"default\",\"resourceVersion\":\"" + rv.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}\n";

    [Fact]
    public async Task Malformed_lines_truncated_streams_and_misplaced_statuses_are_reported_and_the_watch_recovers()
    {
        var watches = new List<string>
        {
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":\n",
            Added("a", 11) + "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\"",
            """{"type":"ADDED","object":{"apiVersion":"v1","kind":"Status","status":"Failure","message":"proxy said no","code":500}}""" + "\n",
            Added("b", 12),
        };
        var server = new ScriptedServer(List, watches);
        var logs = new CapturingLogger();
        using var client = new KubernetesClient(server, new Uri("http://scripted.invalid"), ClusterTargets.FastRetries());
        var informer = new Informer<V1ConfigMap>(client, ResourceType.ConfigMap, new WatcherOptions
        {
            Namespace = "default",
            InitialBackoff = TimeSpan.FromMilliseconds(10),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        }, logger: logs);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = informer.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => informer.Store.Get("default", "b") is not null, "the watch recovers after every bad stream");
        Assert.NotNull(informer.Store.Get("default", "a"));
        Assert.Equal(2, informer.Store.Count);
        Assert.Equal(1, informer.Stats.Lists);
        Assert.True(informer.Stats.Backoffs >= 3, $"backoffs: {informer.Stats.Backoffs}");
        var errors = logs.Messages();
        Assert.Contains(errors, m => m.Contains("watch of configmaps.core/v1 failed", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("the stream ended inside an event", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("a Added event carried a Status instead of a ConfigMap", StringComparison.Ordinal));
        // Each watch resumed from the last version seen, never from the start.
        Assert.Equal(["10", "10", "11", "11"], server.WatchVersions().Take(4));

        await stop.CancelAsync();
        await running;
    }

    /// <summary>Answers the list, then each watch with the next scripted body; the last one stays open.</summary>
    private sealed class ScriptedServer(string list, List<string> watches) : HttpMessageHandler
    {
        private readonly Lock _gate = new();
        private readonly List<string> _versions = [];
        private int _next;

        public List<string> WatchVersions()
        {
            lock (_gate) return [.. _versions];
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            if (query["watch"] != "true")
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(list, Encoding.UTF8, "application/json") });
            int index;
            lock (_gate)
            {
                _versions.Add(query["resourceVersion"] ?? "");
                index = _next++;
            }
            var pipe = new Pipe();
            var body = index < watches.Count ? watches[index] : "";
            _ = pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(body), cancellationToken).AsTask().ContinueWith(async _ =>
            {
                // The last script stays open, as a healthy watch does; the others end where they are.
                if (index < watches.Count - 1) await pipe.Writer.CompleteAsync();
            }, TaskScheduler.Default);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(pipe.Reader.AsStream()) });
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<string> _messages = [];

        public List<string> Messages()
        {
            lock (_gate) return [.. _messages];
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (_gate) _messages.Add(formatter(state, exception));
        }
    }
}
