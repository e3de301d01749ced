using System.Collections.Concurrent;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Tests.Support;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Runtime;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingMetrics _metrics = new();

    private WorkQueue<string> NewQueue(WorkQueueOptions? options = null)
    {
        options ??= new WorkQueueOptions();
        options.Metrics ??= _metrics;
        return new(options, _time);
    }

    [Fact]
    public async Task Added_key_is_taken_at_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        Assert.Equal("a", await queue.TakeAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(1, queue.Processing);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Key_added_many_times_runs_once()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 10; i++) queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Count);

        Assert.Equal("a", await queue.TakeAsync());
        Assert.Equal("b", await queue.TakeAsync());
        var third = queue.TakeAsync();
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Object_keys_deduplicate_by_value()
    {
        using var queue = new WorkQueue<ObjectKey>(time: _time);
        queue.Add(new ObjectKey("ns", "a"));
        queue.Add(ObjectKey.Parse("ns/a"));
        Assert.Equal(1, queue.Count);
        Assert.Equal(new ObjectKey("ns", "a"), await queue.TakeAsync());
    }

    [Fact]
    public async Task Delayed_key_waits_for_its_due_time()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        var take = queue.TakeAsync();

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(take.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("a", await take.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Earliest_due_time_wins_and_a_later_add_never_postpones()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(60));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        Assert.Equal(1, queue.Count);
        var take = queue.TakeAsync();

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(take.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await take.AsTask().WaitAsync(Patience));

        // The superseded entries (10 s, 30 s, 60 s) do not hand the key out again.
        queue.Done("a");
        var again = queue.TakeAsync();
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.False(again.IsCompleted);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Immediate_add_overrides_a_pending_delay()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromMinutes(5));
        queue.Add("a");
        Assert.Equal("a", await queue.TakeAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Keys_come_out_in_due_order_then_arrival_order()
    {
        using var queue = NewQueue();
        queue.AddAfter("late", TimeSpan.FromSeconds(3));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        queue.Add("now-1");
        queue.Add("now-2");
        _time.Advance(TimeSpan.FromSeconds(5));

        var order = new List<string>();
        for (var i = 0; i < 4; i++) order.Add(await queue.TakeAsync());
        Assert.Equal(["now-1", "now-2", "early", "late"], order);
    }

    [Fact]
    public async Task Due_high_priority_keys_go_before_earlier_normal_ones()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 3; i++) queue.Add($"new-{i}");
        queue.Add("progress", QueuePriority.High);
        queue.AddAfter("later", TimeSpan.FromSeconds(1), QueuePriority.High);

        var order = new List<string>();
        for (var i = 0; i < 4; i++) order.Add(await queue.TakeAsync());
        // A high-priority key not yet due does not hold up the normal ones.
        Assert.Equal(["progress", "new-0", "new-1", "new-2"], order);
        var next = queue.TakeAsync();
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("later", await next.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Re_adding_a_queued_key_keeps_its_higher_priority_and_earlier_due_time()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("b", QueuePriority.High);
        queue.Add("b");
        queue.AddAfter("c", TimeSpan.FromSeconds(5), QueuePriority.High);
        queue.Add("c");
        Assert.Equal(3, queue.Count);

        var order = new List<string>();
        for (var i = 0; i < 3; i++) order.Add(await queue.TakeAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(["b", "c", "a"], order);
    }

    [Fact]
    public async Task Key_held_during_processing_keeps_the_priority_it_was_added_with()
    {
        using var queue = NewQueue();
        queue.Add("a");
        Assert.Equal("a", await queue.TakeAsync());
        queue.Add("a", QueuePriority.High);
        queue.Add("b");
        queue.Done("a");

        Assert.Equal("a", await queue.TakeAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("b", await queue.TakeAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Key_re_added_during_processing_is_held_and_runs_exactly_once_after_done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        Assert.Equal("a", await queue.TakeAsync());

        queue.Add("a");
        queue.Add("a");
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        var second = queue.TakeAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);
        Assert.Equal(1, queue.Count);

        queue.Done("a");
        Assert.Equal("a", await second.AsTask().WaitAsync(Patience));
        queue.Done("a");

        var third = queue.TakeAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Held_key_keeps_its_own_due_time_after_done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        await queue.TakeAsync();
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.Done("a");

        var next = queue.TakeAsync();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("a", await next.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Other_keys_flow_while_one_is_in_flight()
    {
        using var queue = NewQueue();
        queue.Add("a");
        await queue.TakeAsync();
        queue.Add("a");
        queue.Add("b");
        Assert.Equal("b", await queue.TakeAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Rate_limited_backoff_doubles_from_5ms_and_caps_at_max()
    {
        using var queue = NewQueue(new WorkQueueOptions { MaxDelay = TimeSpan.FromMilliseconds(80) });
        var observed = new List<TimeSpan>();
        for (var i = 0; i < 7; i++) observed.Add(await DelayOfNextRetry(queue, "a"));

        Assert.Equal([5, 10, 20, 40, 80, 80, 80], observed.Select(d => d.TotalMilliseconds));
        Assert.Equal(7, queue.Failures("a"));
    }

    [Fact]
    public async Task Default_backoff_caps_at_1000_seconds()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 40; i++) await DelayOfNextRetry(queue, "a");
        // 5 ms × 2^17 = 655.36 s is the last uncapped step; 2^18 would pass 1000 s.
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 131072), _metrics.Retries[17]);
        Assert.All(_metrics.Retries.Skip(18), d => Assert.Equal(TimeSpan.FromSeconds(1000), d));
    }

    [Fact]
    public async Task Forget_resets_the_backoff_of_one_key_only()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 3; i++)
        {
            await DelayOfNextRetry(queue, "a");
            await DelayOfNextRetry(queue, "b");
        }
        queue.Forget("a");

        Assert.Equal(0, queue.Failures("a"));
        Assert.Equal(3, queue.Failures("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), await DelayOfNextRetry(queue, "a"));
        Assert.Equal(TimeSpan.FromMilliseconds(40), await DelayOfNextRetry(queue, "b"));
    }

    [Fact]
    public void Overall_token_bucket_spaces_out_retries_beyond_the_burst()
    {
        using var queue = NewQueue(new WorkQueueOptions { OverallQps = 10, OverallBurst = 2 });
        foreach (var key in new[] { "a", "b", "c", "d" }) queue.AddRateLimited(key);
        Assert.Equal([5, 5, 100, 200], _metrics.Retries.Select(d => d.TotalMilliseconds));

        // The bucket refills with time; the per-key backoff still applies on top.
        _time.Advance(TimeSpan.FromSeconds(10));
        queue.AddRateLimited("e");
        queue.AddRateLimited("a");
        Assert.Equal([5, 10], _metrics.Retries[^2..].Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void Per_key_backoff_alone_ignores_the_overall_rate_by_default()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 500; i++) queue.AddRateLimited("key-" + i);
        Assert.All(_metrics.Retries, d => Assert.Equal(TimeSpan.FromMilliseconds(5), d));
    }

    [Fact]
    public async Task Clear_drops_queued_and_held_keys_but_lets_in_flight_work_finish()
    {
        using var queue = NewQueue();
        queue.Add("running");
        await queue.TakeAsync();
        queue.Add("running");
        queue.Add("queued");
        queue.AddAfter("later", TimeSpan.FromSeconds(1));
        queue.AddRateLimited("failing");

        queue.Clear();

        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.Processing);
        Assert.Equal(0, queue.Failures("failing"));
        queue.Done("running");
        var next = queue.TakeAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(next.IsCompleted);

        queue.Add("fresh");
        Assert.Equal("fresh", await next.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Shutdown_fails_waiting_and_later_takes_and_ignores_adds()
    {
        var queue = NewQueue();
        var waiting = queue.TakeAsync();
        queue.ShutDown();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(Patience));
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync().AsTask());
        Assert.True(queue.IsShutDown);
    }

    [Fact]
    public async Task Shutdown_and_drain_waits_for_in_flight_keys()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        await queue.TakeAsync();
        await queue.TakeAsync();

        var drain = queue.ShutDownAndDrainAsync(TimeSpan.FromSeconds(30));
        queue.Done("a");
        Assert.False(drain.IsCompleted);
        queue.Done("b");
        Assert.True(await drain.WaitAsync(Patience));
    }

    [Fact]
    public async Task Shutdown_and_drain_gives_up_after_the_timeout()
    {
        using var queue = NewQueue();
        queue.Add("stuck");
        await queue.TakeAsync();

        var drain = queue.ShutDownAndDrainAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(drain.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await drain.WaitAsync(Patience));
    }

    [Fact]
    public async Task Cancelled_take_does_not_swallow_a_key()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.TakeAsync(cts.Token);
        var live = queue.TakeAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().WaitAsync(Patience));

        queue.Add("a");
        Assert.Equal("a", await live.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task Metrics_see_adds_retries_depth_and_latencies()
    {
        var metrics = _metrics;
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddRateLimited("b");
        Assert.Equal(2, metrics.LastDepth);

        _time.Advance(TimeSpan.FromSeconds(3));
        var key = await queue.TakeAsync();
        Assert.Equal("b", key);
        _time.Advance(TimeSpan.FromSeconds(2));
        queue.Done(key);

        Assert.Equal(2, metrics.Adds);
        Assert.Equal([TimeSpan.FromMilliseconds(5)], metrics.Retries);
        Assert.Equal(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(5), metrics.Waits.Single());
        Assert.Equal(TimeSpan.FromSeconds(2), metrics.Durations.Single());
        Assert.Equal(1, metrics.LastDepth);
    }

    [Fact]
    public async Task Many_workers_on_many_keys_never_run_one_key_twice_at_once()
    {
        using var queue = new WorkQueue<int>();
        const int Keys = 50;
        var running = new ConcurrentDictionary<int, int>();
        var runs = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        using var stop = new CancellationTokenSource();

        async Task Worker()
        {
            while (true)
            {
                int key;
                try
                {
                    key = await queue.TakeAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (running.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref overlaps);
                await Task.Yield();
                // Re-adds while running must coalesce into one more run, never a concurrent one.
                if (runs.AddOrUpdate(key, 1, (_, n) => n + 1) == 1) queue.Add(key);
                running.AddOrUpdate(key, 0, (_, n) => n - 1);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToArray();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
                for (var key = 0; key < Keys; key++) queue.Add(key);
        })).ToArray();
        await Task.WhenAll(producers);

        var deadline = DateTime.UtcNow + Patience;
        while ((queue.Count > 0 || queue.Processing > 0) && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.True(await queue.ShutDownAndDrainAsync(Patience));
        await Task.WhenAll(workers).WaitAsync(Patience);

        Assert.Equal(0, overlaps);
        Assert.Equal(Keys, runs.Count);
        Assert.All(runs.Values, n => Assert.InRange(n, 2, 20 * 4 + 1));
    }

    /// <summary>Adds a rate-limited retry and proves it comes out exactly when its reported delay has passed.</summary>
    private async Task<TimeSpan> DelayOfNextRetry(WorkQueue<string> queue, string key)
    {
        queue.AddRateLimited(key);
        var delay = _metrics.Retries[^1];
        var take = queue.TakeAsync();
        _time.Advance(delay - TimeSpan.FromTicks(1));
        Assert.False(take.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(take.IsCompleted);
        Assert.Equal(key, await take);
        queue.Done(key);
        return delay;
    }

    private sealed class RecordingMetrics : IWorkQueueMetrics
    {
        public int Adds { get; private set; }
        public int LastDepth { get; private set; }
        public List<TimeSpan> Retries { get; } = [];
        public List<TimeSpan> Waits { get; } = [];
        public List<TimeSpan> Durations { get; } = [];

        public void Added() => Adds++;
        public void Retried(TimeSpan delay) => Retries.Add(delay);
        public void DepthChanged(int depth) => LastDepth = depth;
        public void Taken(TimeSpan waited) => Waits.Add(waited);
        public void Completed(TimeSpan duration) => Durations.Add(duration);
    }
}
