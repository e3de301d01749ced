using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using ConnectorOperator.LocalCluster;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class LeaderElectionTests : IAsyncLifetime
{
    private const string Namespace = "operators";
    private const string LeaseName = "connector-operator";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ApiServerDouble _server = null!;
    private readonly List<Replica> _replicas = [];

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync();
        _server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } });
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Two_candidates_on_one_lease_elect_exactly_one_leader()
    {
        var a = Start("a");
        var b = Start("b");
        var leader = await FirstLeader(a, b);
        var follower = leader == a ? b : a;

        // Longer than a lease duration passes: renewals keep the follower out.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.True(leader.Elector.IsLeader);
        Assert.False(follower.Elector.IsLeader);
        Assert.False(follower.Started.Task.IsCompleted);
        Assert.Equal(leader.Identity, follower.Elector.CurrentLeader);
        Assert.Contains(leader.Identity, follower.Leaders);
        Assert.Equal(leader.Identity, Lease()["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lease_records_holder_duration_transitions_and_micro_times()
    {
        var a = Start("a");
        await a.Started.Task.WaitAsync(Patience);

        var spec = Lease()["spec"]!;
        Assert.Equal("a", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(3, spec["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal(0, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", spec["acquireTime"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", spec["renewTime"]!.GetValue<string>());

        // Renewals move renewTime but keep acquireTime.
        var acquired = spec["acquireTime"]!.GetValue<string>();
        var renewed = spec["renewTime"]!.GetValue<string>();
        await Until(() => Lease()["spec"]!["renewTime"]!.GetValue<string>() != renewed);
        Assert.Equal(acquired, Lease()["spec"]!["acquireTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Leader_whose_renewals_fail_stops_at_the_deadline_and_the_other_takes_over_after_expiry()
    {
        var a = Start("a", leaseSeconds: 2, renewSeconds: 0.5);
        await a.Started.Task.WaitAsync(Patience);
        var b = Start("b", leaseSeconds: 2, renewSeconds: 0.5);
        await Until(() => b.Elector.CurrentLeader == "a");

        var outage = Stopwatch.StartNew();
        a.Network.Fault = _ => HttpStatusCode.ServiceUnavailable;

        await a.Stopped.Task.WaitAsync(Patience);
        var stoppedAfter = outage.Elapsed;
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.False(a.Elector.IsLeader);
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(2), $"stopped after {stoppedAfter}; the renew deadline is 0.5 s");
        await a.Run.WaitAsync(Patience);

        await b.Started.Task.WaitAsync(Patience);
        var takenOverAfter = outage.Elapsed;
        // B waits until the lease has not changed for 2 s by its own clock: well after A gave up at 0.5 s.
        Assert.True(takenOverAfter - stoppedAfter > TimeSpan.FromSeconds(0.5), $"A stopped after {stoppedAfter}, B took over after {takenOverAfter}");
        var spec = Lease()["spec"]!;
        Assert.Equal("b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Renewals_timing_out_also_end_leadership_at_the_deadline()
    {
        var a = Start("a", leaseSeconds: 2, renewSeconds: 0.5);
        await a.Started.Task.WaitAsync(Patience);

        a.Network.Delay = _ => TimeSpan.FromSeconds(30);
        var outage = Stopwatch.StartNew();

        await a.Stopped.Task.WaitAsync(Patience);
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.True(outage.Elapsed < TimeSpan.FromSeconds(2), $"stopped after {outage.Elapsed}; the renew deadline is 0.5 s");
        await a.Run.WaitAsync(Patience);
    }

    [Fact]
    public async Task Expiry_is_judged_by_when_we_saw_the_record_change_not_by_its_renew_time()
    {
        // A holder whose clock is a day behind keeps renewing: its renewTime always looks stale to us.
        var skewed = DateTimeOffset.UtcNow.AddDays(-1);
        using (var client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress))
        {
            await client.CreateAsync(ResourceType.Lease, new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = Namespace },
                Spec = new V1LeaseSpec { HolderIdentity = "skewed", LeaseDurationSeconds = 2, AcquireTime = skewed.UtcDateTime, RenewTime = skewed.UtcDateTime, LeaseTransitions = 0 },
            });
        }
        using var renewing = new CancellationTokenSource();
        var holder = Task.Run(async () =>
        {
            for (var i = 1; !renewing.IsCancellationRequested; i++)
            {
                var at = skewed.AddSeconds(i);
                Edit(lease => lease["spec"]!["renewTime"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                await Task.Delay(300, CancellationToken.None);
            }
        });

        var b = Start("b");
        await Until(() => b.Elector.CurrentLeader == "skewed");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(b.Started.Task.IsCompleted, "took a lease whose holder is still renewing");

        // Once the holder stops, the record stops changing and expires 2 s later by our clock.
        var stopped = Stopwatch.StartNew();
        await renewing.CancelAsync();
        await holder;
        await b.Started.Task.WaitAsync(Patience);
        Assert.True(stopped.Elapsed >= TimeSpan.FromSeconds(1.5), $"took over {stopped.Elapsed} after the last renewal of a 2 s lease");
        Assert.Equal(1, Lease()["spec"]!["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Graceful_cancel_releases_the_lease_for_an_immediate_takeover()
    {
        var a = Start("a", leaseSeconds: 10, renewSeconds: 5);
        await a.Started.Task.WaitAsync(Patience);
        var b = Start("b", leaseSeconds: 10, renewSeconds: 5);
        await Until(() => b.Elector.CurrentLeader == "a");

        var release = Stopwatch.StartNew();
        await a.Cancel.CancelAsync();
        await a.Run.WaitAsync(Patience);
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.True(a.Stopped.Task.IsCompleted);
        Assert.True(a.WorkEnded.Task.IsCompleted, "the leading work ended before the lease was released");

        await b.Started.Task.WaitAsync(Patience);
        Assert.True(release.Elapsed < TimeSpan.FromSeconds(5), $"takeover took {release.Elapsed} of a 10 s lease");
        Assert.Equal("b", Lease()["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_without_release_leaves_the_lease_to_expire()
    {
        var a = Start("a", leaseSeconds: 3, renewSeconds: 1, release: false);
        await a.Started.Task.WaitAsync(Patience);
        var b = Start("b", leaseSeconds: 3, renewSeconds: 1, release: false);
        await Until(() => b.Elector.CurrentLeader == "a");

        var gone = Stopwatch.StartNew();
        await a.Cancel.CancelAsync();
        await a.Run.WaitAsync(Patience);
        Assert.True(a.Stopped.Task.IsCompleted);
        Assert.Equal("a", Lease()["spec"]!["holderIdentity"]!.GetValue<string>());

        await b.Started.Task.WaitAsync(Patience);
        // A renewed within its 1 s deadline before stopping, so B had to wait at least the rest of the 3 s lease.
        Assert.True(gone.Elapsed >= TimeSpan.FromSeconds(1.5), $"took over after {gone.Elapsed} of a 3 s lease");
    }

    [Fact]
    public async Task Another_holder_appearing_in_the_lease_stops_the_leader_at_once()
    {
        var a = Start("a", leaseSeconds: 10, renewSeconds: 5);
        await a.Started.Task.WaitAsync(Patience);

        var usurped = Stopwatch.StartNew();
        Edit(lease => lease["spec"]!["holderIdentity"] = "intruder");

        await a.Stopped.Task.WaitAsync(Patience);
        Assert.True(usurped.Elapsed < TimeSpan.FromSeconds(3), $"stopped after {usurped.Elapsed}; the renew deadline is 5 s");
        Assert.True(a.LeadingToken.IsCancellationRequested);
        Assert.Equal("intruder", a.Elector.CurrentLeader);
        Assert.Contains("intruder", a.Leaders);
        await a.Run.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_conflicting_write_is_retried_without_losing_leadership()
    {
        var a = Start("a");
        await a.Started.Task.WaitAsync(Patience);

        Edit(lease => lease["metadata"]!["labels"] = new JsonObject { ["touched"] = "yes" });
        await Until(() => a.Network.Conflicts >= 1);
        var afterConflict = Lease()["metadata"]!["resourceVersion"]!.GetValue<string>();
        await Until(() => Lease()["metadata"]!["resourceVersion"]!.GetValue<string>() != afterConflict);

        Assert.True(a.Elector.IsLeader);
        Assert.False(a.Stopped.Task.IsCompleted);
        Assert.False(a.LeadingToken.IsCancellationRequested);
        // The renewal kept what the other writer added.
        Assert.Equal("yes", Lease()["metadata"]!["labels"]!["touched"]!.GetValue<string>());
    }

    [Fact]
    public async Task Racing_candidates_on_a_free_lease_lose_with_409_and_one_wins()
    {
        using (var client = new KubernetesClient(new SocketsHttpHandler(), _server.BaseAddress))
        {
            await client.CreateAsync(ResourceType.Lease, new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = Namespace },
                Spec = new V1LeaseSpec { LeaseDurationSeconds = 1, LeaseTransitions = 3 },
            });
        }
        // Hold every write (within the 1 s attempt deadline) so that all candidates read the same version first.
        var elected = false;
        Func<HttpRequestMessage, TimeSpan?> holdWrites = r => r.Method == HttpMethod.Put && !Volatile.Read(ref elected) ? TimeSpan.FromMilliseconds(300) : null;

        var candidates = new[] { "a", "b", "c" }.Select(id => Start(id, delay: holdWrites)).ToArray();
        var leader = await FirstLeader(candidates);
        Volatile.Write(ref elected, true);

        await Until(() => candidates.Sum(c => c.Network.Conflicts) >= 2);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Single(candidates, c => c.Started.Task.IsCompleted);
        Assert.All(candidates.Where(c => c != leader), c => Assert.Equal(leader.Identity, c.Elector.CurrentLeader));
        Assert.Equal(4, Lease()["spec"]!["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Racing_candidates_on_a_missing_lease_lose_with_already_exists_and_one_wins()
    {
        var created = false;
        Func<HttpRequestMessage, TimeSpan?> holdCreates = r => r.Method == HttpMethod.Post && !Volatile.Read(ref created) ? TimeSpan.FromMilliseconds(300) : null;

        var candidates = new[] { "a", "b", "c" }.Select(id => Start(id, delay: holdCreates)).ToArray();
        var leader = await FirstLeader(candidates);
        Volatile.Write(ref created, true);

        await Until(() => candidates.All(c => c.Elector.CurrentLeader == leader.Identity));
        Assert.Single(candidates, c => c.Started.Task.IsCompleted);
        Assert.InRange(candidates.Sum(c => c.Network.Requests().Count(r => r.StartsWith("POST", StringComparison.Ordinal))), 2, 3);
        Assert.InRange(candidates.Sum(c => c.Network.Conflicts), 1, 2);
    }

    [Fact]
    public async Task Leading_work_that_returns_ends_the_term_and_releases()
    {
        using var client = NewClient("a", out _);
        var done = new LeaderElector(client, Options("a"));
        var stopped = false;
        await done.RunAsync(token => Task.Delay(200, token), () => stopped = true).WaitAsync(Patience);

        Assert.True(stopped);
        Assert.False(done.IsLeader);
        Assert.Null(Lease()["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task Leading_work_failure_is_rethrown_after_stepping_down()
    {
        using var client = NewClient("a", out _);
        var elector = new LeaderElector(client, Options("a"));
        var stopped = false;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            elector.RunAsync(_ => throw new InvalidOperationException("boom"), () => stopped = true).WaitAsync(Patience));

        Assert.Equal("boom", error.Message);
        Assert.True(stopped);
        Assert.Null(Lease()["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task Cancel_before_leading_never_calls_the_callbacks()
    {
        var a = Start("a");
        await a.Started.Task.WaitAsync(Patience);
        var b = Start("b");
        await Until(() => b.Elector.CurrentLeader == "a");

        await b.Cancel.CancelAsync();
        await b.Run.WaitAsync(Patience);
        Assert.False(b.Started.Task.IsCompleted);
        Assert.False(b.Stopped.Task.IsCompleted);
        Assert.True(a.Elector.IsLeader);
    }

    [Fact]
    public void Options_must_leave_room_between_retry_renew_and_lease()
    {
        using var client = NewClient("a", out _);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeaderElector(client, new LeaderElectionOptions
        {
            LeaseName = LeaseName,
            LeaseNamespace = Namespace,
            LeaseDuration = TimeSpan.FromSeconds(10),
            RenewDeadline = TimeSpan.FromSeconds(10),
        }));
        Assert.Throws<ArgumentException>(() => new LeaderElector(client, new LeaderElectionOptions { LeaseNamespace = Namespace }));
        Assert.False(string.IsNullOrWhiteSpace(new LeaderElectionOptions().Identity));
    }

    /// <summary>
    /// Test timings: 100 ms retry, attempts time out after half the renew deadline. The defaults (3 s lease, 2 s renew
    /// deadline) keep a leader stable on a loaded machine; tests about losing the lease pass shorter ones.
    /// </summary>
    [Fact]
    public async Task A_leader_that_overslept_its_renew_deadline_renews_and_keeps_leading_when_nobody_took_the_lease()
    {
        var time = new OversleepingTime();
        var client = NewClient("a", out var network);
        var a = new Replica(new LeaderElector(client, Options("a", leaseSeconds: 6, renewSeconds: 1), time), "a", client, network);
        _replicas.Add(a);
        await a.Started.Task.WaitAsync(Patience);
        var renewedBefore = Lease()["spec"]!["renewTime"]!.GetValue<string>();

        // As if the process had not run for 2 s (CPU starvation): past the 1 s renew deadline, short of the 6 s lease.
        time.Skip(TimeSpan.FromSeconds(2));
        await Until(() => Lease()["spec"]!["renewTime"]!.GetValue<string>() != renewedBefore);
        await Task.Delay(300);

        Assert.False(a.Stopped.Task.IsCompleted);
        Assert.False(a.LeadingToken.IsCancellationRequested);
        Assert.True(a.Elector.IsLeader);
        Assert.Equal("a", Lease()["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_leader_that_overslept_past_the_lease_duration_stops()
    {
        var time = new OversleepingTime();
        var client = NewClient("a", out var network);
        var a = new Replica(new LeaderElector(client, Options("a", leaseSeconds: 2, renewSeconds: 1), time), "a", client, network);
        _replicas.Add(a);
        await a.Started.Task.WaitAsync(Patience);

        // Past the lease duration another replica may already lead: no late renewal, leadership ends.
        time.Skip(TimeSpan.FromSeconds(3));
        await a.Stopped.Task.WaitAsync(Patience);
        Assert.True(a.LeadingToken.IsCancellationRequested);
    }

    /// <summary>The system clock, plus jumps: a process that did not run for a while sees time leap on waking.</summary>
    private sealed class OversleepingTime : TimeProvider
    {
        private long _skipped;

        public void Skip(TimeSpan by) => Interlocked.Add(ref _skipped, (long)(by.TotalSeconds * System.TimestampFrequency));

        public override long GetTimestamp() => System.GetTimestamp() + Interlocked.Read(ref _skipped);

        public override long TimestampFrequency => System.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromSeconds(Interlocked.Read(ref _skipped) / (double)System.TimestampFrequency);
    }

    private static LeaderElectionOptions Options(string identity, double leaseSeconds = 3, double renewSeconds = 2, bool release = true) => new()
    {
        LeaseName = LeaseName,
        LeaseNamespace = Namespace,
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
        RenewDeadline = TimeSpan.FromSeconds(renewSeconds),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(renewSeconds / 2),
        ReleaseOnCancel = release,
    };

    private Replica Start(string identity, double leaseSeconds = 3, double renewSeconds = 2, bool release = true, Func<HttpRequestMessage, TimeSpan?>? delay = null)
    {
        var client = NewClient(identity, out var network);
        network.Delay = delay;
        var replica = new Replica(new LeaderElector(client, Options(identity, leaseSeconds, renewSeconds, release)), identity, client, network);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>A client of its own, so that faults injected into <paramref name="network"/> hit this replica only.</summary>
    private KubernetesClient NewClient(string identity, out InterceptingHandler network)
    {
        network = new InterceptingHandler();
        return new KubernetesClient(network, _server.BaseAddress, new KubernetesClientOptions
        {
            UserAgent = identity,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        });
    }

    private JsonObject Lease() => _server.GetObject("coordination.k8s.io/v1", "Lease", Namespace, LeaseName) ?? throw new InvalidOperationException("no lease");

    /// <summary>Changes the lease as another writer would (a new resourceVersion).</summary>
    private void Edit(Action<JsonObject> edit) => _server.ModifyObject("coordination.k8s.io/v1", "Lease", Namespace, LeaseName, lease =>
    {
        edit(lease);
        return lease;
    });

    private static async Task<Replica> FirstLeader(params Replica[] replicas)
    {
        var first = await Task.WhenAny(replicas.Select(async r =>
        {
            await r.Started.Task;
            return r;
        })).WaitAsync(Patience);
        return await first;
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Patience) throw new TimeoutException("condition not met in time");
            await Task.Delay(20);
        }
    }

    /// <summary>One operator replica: an elector whose leading work runs until its token is cancelled.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly KubernetesClient _client;

        public Replica(LeaderElector elector, string identity, KubernetesClient client, InterceptingHandler network)
        {
            Elector = elector;
            Identity = identity;
            _client = client;
            Network = network;
            Run = elector.RunAsync(async token =>
            {
                LeadingToken = token;
                Started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    WorkEnded.TrySetResult();
                }
            }, () => Stopped.TrySetResult(), leader =>
            {
                lock (Leaders) Leaders.Add(leader);
            }, Cancel.Token);
        }

        public LeaderElector Elector { get; }
        public InterceptingHandler Network { get; }
        public string Identity { get; }
        public Task Run { get; }
        public CancellationTokenSource Cancel { get; } = new();
        public CancellationToken LeadingToken { get; private set; }
        public List<string> Leaders { get; } = [];
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource WorkEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask DisposeAsync()
        {
            await Cancel.CancelAsync();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Teardown only.
            }
            Cancel.Dispose();
            _client.Dispose();
        }
    }
}
