using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Observability;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Reads each running connector's GET /status (short timeout). A failure is recorded for that pod and never
/// fails the reconcile; the last good report is kept so a blip does not erase the Details view. Polls are kept
/// per AgentConnector and only for its current pods, so gone pods are forgotten with the next poll.
/// </summary>
public sealed class ConnectorStatusPoller(HttpClient http, OperatorSettings settings, OperatorMetrics metrics, ILogger<ConnectorStatusPoller> logger)
{
    /// <summary>The trace source of status poll spans (children of the reconcile that polls).</summary>
    public const string ActivitySourceName = "ConnectorOperator.StatusPoll";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly ConcurrentDictionary<ObjectKey, IReadOnlyDictionary<string, ConnectorPoll>> _last = new();

    /// <summary>Polls the connector pods of one AgentConnector (never called concurrently for one key).</summary>
    public async Task<IReadOnlyDictionary<string, ConnectorPoll>> PollAsync(ObjectKey connector, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var previous = _last.GetValueOrDefault(connector);
        var polls = await Task.WhenAll(pods.Select(async pod =>
        {
            var name = pod.Metadata.Name ?? "";
            return (Name: name, Poll: await PollOneAsync(pod, previous?.GetValueOrDefault(name), cancellationToken));
        }));
        var current = polls.Where(p => p.Poll is not null).ToDictionary(p => p.Name, p => p.Poll!);
        _last[connector] = current;
        return current;
    }

    public void Forget(ObjectKey connector) => _last.TryRemove(connector, out _);

    private async Task<ConnectorPoll?> PollOneAsync(V1Pod pod, ConnectorPoll? last, CancellationToken cancellationToken)
    {
        if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || string.IsNullOrEmpty(pod.Status.PodIP))
            return last;

        var port = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == "http")?.ContainerPort ?? settings.ConnectorPort;
        var host = pod.Status.PodIP.Contains(':', StringComparison.Ordinal) ? $"[{pod.Status.PodIP}]" : pod.Status.PodIP;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.StatusPollTimeout);
        using var activity = Source.StartActivity("poll connector status", ActivityKind.Client);
        activity?.SetTag("k8s.pod.name", pod.Metadata.Name);
        ConnectorPoll poll;
        try
        {
            var report = await http.GetFromJsonAsync(new Uri($"http://{host}:{port}{ConnectorEndpoints.Status}"), ConnectorStatusJsonContext.Default.ConnectorStatusReport, deadline.Token);
            poll = new ConnectorPoll(report, null);
            metrics.StatusPolled("ok");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? $"no answer within {settings.StatusPollTimeout.TotalSeconds:0.#} s" : e.Message;
            metrics.StatusPolled(e is OperationCanceledException ? "timeout" : "error");
            activity?.SetStatus(ActivityStatusCode.Error, error);
            logger.LogDebug("Status poll of connector {Namespace}/{Pod} failed: {Error}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, error);
            poll = new ConnectorPoll(last?.Report, error);
        }
        return poll;
    }
}
