using System.Collections.Concurrent;
using System.Net.Http.Json;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Reads each running connector's GET /status (short timeout). A failure is recorded for that pod and never
/// fails the reconcile; the last good report is kept so a blip does not erase the Details view.
/// </summary>
public sealed class ConnectorStatusPoller(HttpClient http, OperatorSettings settings, TimeProvider time, ILogger<ConnectorStatusPoller> logger)
{
    private readonly ConcurrentDictionary<string, ConnectorPoll> _last = new();

    public async Task<IReadOnlyDictionary<string, ConnectorPoll>> PollAsync(IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var polls = await Task.WhenAll(pods.Select(async pod => (Name: pod.Metadata.Name ?? "", Poll: await PollOneAsync(pod, cancellationToken))));
        return polls.Where(p => p.Poll is not null).ToDictionary(p => p.Name, p => p.Poll!);
    }

    public void Forget(string @namespace, string podName) => _last.TryRemove(Key(@namespace, podName), out _);

    private async Task<ConnectorPoll?> PollOneAsync(Pod pod, CancellationToken cancellationToken)
    {
        var key = Key(pod.Metadata.Namespace, pod.Metadata.Name);
        if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || string.IsNullOrEmpty(pod.Status.PodIP))
            return _last.GetValueOrDefault(key);

        var port = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == "http")?.Port ?? settings.ConnectorPort;
        var host = pod.Status.PodIP.Contains(':', StringComparison.Ordinal) ? $"[{pod.Status.PodIP}]" : pod.Status.PodIP;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.StatusPollTimeout);
        ConnectorPoll poll;
        try
        {
            var report = await http.GetFromJsonAsync(new Uri($"http://{host}:{port}/status"), ConnectorReportJsonContext.Default.ConnectorReport, deadline.Token);
            poll = new ConnectorPoll(report, null, time.GetUtcNow());
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? $"no answer within {settings.StatusPollTimeout.TotalSeconds:0.#} s" : e.Message;
            logger.LogDebug("Status poll of connector {Pod} failed: {Error}", key, error);
            poll = new ConnectorPoll(_last.GetValueOrDefault(key)?.Report, error, time.GetUtcNow());
        }
        _last[key] = poll;
        return poll;
    }

    private static string Key(string? @namespace, string? name) => $"{@namespace}/{name}";
}
