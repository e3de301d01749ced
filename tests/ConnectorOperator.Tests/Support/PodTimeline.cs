using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Tests.Support;

/// <summary>Samples an AgentConnector's pods every few milliseconds so a test can check invariants over a whole rollout.</summary>
public sealed class PodTimeline : IDisposable
{
    private readonly List<(DateTime At, IReadOnlyList<V1Pod> Pods)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public static PodTimeline Start(OperatorHarness harness, string connector)
    {
        var timeline = new PodTimeline();
        timeline._loop = Task.Run(async () =>
        {
            while (!timeline._stop.IsCancellationRequested)
            {
                var pods = await harness.PodsAsync(connector);
                lock (timeline._samples) timeline._samples.Add((DateTime.UtcNow, pods));
                await Task.Delay(10);
            }
        });
        return timeline;
    }

    public async Task<PodTimeline> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return this;
    }

    public int MaxLivePods => _samples.Max(s => s.Pods.Count(p => p.Metadata.DeletionTimestamp is null));

    public DateTime FirstAppearance(Func<string, bool> name) =>
        _samples.FirstOrDefault(s => s.Pods.Any(p => name(p.Metadata.Name!))).At is var at && at != default ? at : DateTime.MaxValue;

    public DateTime FirstTermination(Func<string, bool> name) =>
        _samples.FirstOrDefault(s => s.Pods.Any(p => name(p.Metadata.Name!) && p.Metadata.DeletionTimestamp is not null)).At is var at && at != default ? at : DateTime.MaxValue;

    /// <summary>One session per agent user: never two pods (terminating ones included) for one user at any sampled moment.</summary>
    public void AssertNeverTwoPodsForOneAgentUser()
    {
        Assert.NotEmpty(_samples);
        foreach (var (at, pods) in _samples)
        {
            var duplicate = pods.GroupBy(p => p.Metadata.Annotations![ConnectorLabels.AgentUser]).FirstOrDefault(g => g.Count() > 1);
            Assert.True(duplicate is null, $"at {at:HH:mm:ss.fff} agent user {duplicate?.Key} had pods {string.Join(", ", duplicate?.Select(p => p.Metadata.Name) ?? [])}");
        }
    }

    public void Dispose() => _stop.Dispose();
}
