using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using ConnectorOperator.Dev;
using ConnectorOperator.Hosting;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>The operator itself failing: killed mid-rollout and replaced, or a leader lost to a standby replica.</summary>
public sealed class OperatorFailoverEndToEndTests
{
    // Short leases so a takeover after an unreleased lease takes seconds, and no release on stop: a stop is a crash.
    private static readonly string[] ShortLeases =
    [
        "--LeaderElection:LeaseDuration=00:00:04",
        "--LeaderElection:RenewDeadline=00:00:03",
        "--LeaderElection:RetryPeriod=00:00:01",
        "--LeaderElection:ReleaseOnCancel=false",
    ];

    [Fact]
    public async Task Operator_killed_mid_rollout_and_replaced_converges_with_never_two_pods_for_one_agent_user()
    {
        await using var run = await ClusterUnderTest.StartAsync(operatorArguments: ShortLeases);
        WebApplication? replacement = null;
        using var sampling = new CancellationTokenSource();
        Task<List<string>>? sampler = null;
        try
        {
            run.Cluster.ApplyDemo();
            await run.WaitForAsync(() => run.State == "Online" && Ready(run), "the demo connector is Online and Ready");
            var before = run.Connector!["status"]!["revision"]!.GetValue<string>();
            sampler = SamplePodsAsync(run, sampling.Token);

            run.ModifyConnector(c => c["spec"]!["customConfiguration"] = new JsonObject { [CustomConfigurationKeys.MessageDelay] = "300" });
            await run.WaitForAsync(() => run.Connector?["status"]?["revision"]?.GetValue<string>() is { } r && r != before
                && run.ConnectorRows.OfType<JsonObject>().Any(row => row["revision"]?.GetValue<string>() != r), "the rolling restart is under way");
            var after = run.Connector!["status"]!["revision"]!.GetValue<string>();
            Assert.False(run.ConnectorRows.OfType<JsonObject>().All(r => r["revision"]?.GetValue<string>() == after) && Ready(run),
                "the rollout finished before the operator could be killed");

            using (var crash = new CancellationTokenSource())
            {
                await crash.CancelAsync();
                await run.Cluster.Operator.StopAsync(crash.Token);
            }
            replacement = await StartOperatorAsync(run);

            await run.WaitForAsync(() => Ready(run) && run.ConnectorRows.Count > 0
                    && run.ConnectorRows.OfType<JsonObject>().All(r => r["revision"]?.GetValue<string>() == after)
                    && run.Pods.Where(p => p["metadata"]?["deletionTimestamp"] is null).Select(p => p["metadata"]?["name"]?.GetValue<string>()).Order()
                        .SequenceEqual(run.ConnectorRows.Select(r => r?["pod"]?.GetValue<string>()).Order())
                    && run.Pods.Count == run.ConnectorRows.Count,
                "the replacement operator finished the rollout");
            Assert.Equal("Online", run.State);
        }
        finally
        {
            await sampling.CancelAsync();
            if (replacement is not null) await StopAsync(replacement);
        }
        var violations = await sampler!;
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
    }

    [Fact]
    public async Task Two_replicas_elect_one_leader_and_the_standby_takes_over_an_unreleased_lease_and_reconciles()
    {
        await using var run = await ClusterUnderTest.StartAsync(operatorArguments: ShortLeases);
        var second = await StartOperatorAsync(run);
        try
        {
            var first = run.Cluster.Operator;
            run.Cluster.ApplyDemo();
            await run.WaitForAsync(() => run.State == "Online" && (Elector(first).IsLeader ^ Elector(second).IsLeader), "one leader and the demo connector Online");
            var (leader, standby) = Elector(first).IsLeader ? (first, second) : (second, first);
            Assert.Equal(Elector(leader).Identity, LeaseHolder(run));

            using (var crash = new CancellationTokenSource())
            {
                await crash.CancelAsync();
                await leader.StopAsync(crash.Token);
            }
            await run.WaitForAsync(() => Elector(standby).IsLeader && LeaseHolder(run) == Elector(standby).Identity,
                "the standby holds the lease", TimeSpan.FromSeconds(12));
            Assert.False(Elector(leader).IsLeader);

            run.ModifyConnector(c => c["spec"]!["running"] = false);
            await run.WaitForAsync(() => run.State == "Stopped" && run.Pods.Count == 0 && run.Cluster.Kubelet.RunningProcesses.Count == 0,
                "the new leader stopped the connector");
        }
        finally
        {
            await StopAsync(second);
        }
    }

    private static LeaderElector Elector(WebApplication app) => app.Services.GetRequiredService<LeaderElector>();

    private static string? LeaseHolder(ClusterUnderTest run) =>
        run.Cluster.Api.GetObject("coordination.k8s.io/v1", "Lease", ShippedRbac.OperatorNamespace, new OperatorOptions().LeaseName)?["spec"]?["holderIdentity"]?.GetValue<string>();

    private static bool Ready(ClusterUnderTest run) => run.Condition("Ready")?["status"]?.GetValue<string>() == "True";

    /// <summary>Another operator replica against the same API server double, configured like the cluster's own.</summary>
    private static async Task<WebApplication> StartOperatorAsync(ClusterUnderTest run)
    {
        var config = run.Cluster.Operator.Configuration;
        // The same kubeconfig (the operator's ServiceAccount token) and Lease namespace as the cluster's own replica.
        string[] copied = ["Host:LeaderElection", "Host:LeaseNamespace", "Kubernetes:KubeconfigPath", "Operator:CsdsDomain", "Operator:DefaultImage", "Operator:ConnectorPort", "Operator:DrainSeconds",
            "Operator:StatusPollInterval", "Logging:LogLevel:Default", "LeaderElection:LeaseDuration", "LeaderElection:RenewDeadline",
            "LeaderElection:RetryPeriod", "LeaderElection:ReleaseOnCancel", "Kubernetes:KubeconfigPath"];
        // The local cluster serves TLS: the replica connects through the same kubeconfig (CA and credentials) as the first.
        var app = OperatorApp.Build(["--Host:HealthAddress=http://127.0.0.1:0", .. copied.Where(k => config[k] is not null).Select(k => $"--{k}={config[k]}")],
            configureServices: services => services.AddSingleton<IHostLifetime, QuietLifetime>());
        await app.StartAsync();
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    /// <summary>Samples the pods every 50 ms; returns every moment an agent user had two pods or a pod name appeared twice.</summary>
    private static Task<List<string>> SamplePodsAsync(ClusterUnderTest run, CancellationToken stop) => Task.Run(async () =>
    {
        var violations = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var pods = run.Pods;
            foreach (var user in pods.GroupBy(p => p["metadata"]?["annotations"]?[ConnectorLabels.AgentUser]?.GetValue<string>() ?? "").Where(g => g.Count() > 1))
            {
                violations.Add($"agent user {user.Key} had pods {string.Join(", ", user.Select(p => p["metadata"]?["name"]?.GetValue<string>()))}");
            }
            foreach (var name in pods.GroupBy(p => p["metadata"]?["name"]?.GetValue<string>()).Where(g => g.Count() > 1))
            {
                violations.Add($"pod name {name.Key} listed twice");
            }
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return violations;
    });

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
