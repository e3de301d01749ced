namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// A delaying, deduplicating, rate-limited queue of keys (e.g. <c>ObjectKey</c>) for reconcile workers.
/// <list type="bullet">
/// <item>A key is queued at most once; adding it again keeps the earliest due time.</item>
/// <item>A key is never handed to two workers at once: a key added while it is being processed is held and
/// queued once more when the worker calls <see cref="Done"/>, however many times it was added meanwhile.</item>
/// <item><see cref="AddRateLimited"/> backs off per key (5 ms doubling to 1000 s by default) until <see cref="Forget"/>.</item>
/// <item>Among due keys, <see cref="QueuePriority.High"/> ones go first (then by due time): work under way, such as
/// an owned pod that became ready, is not queued behind a wave of new objects.</item>
/// </list>
/// Workers loop on <see cref="TakeAsync"/> and call <see cref="Done"/> for every key they took. After
/// <see cref="ShutDown"/>, <see cref="TakeAsync"/> throws <see cref="OperationCanceledException"/> (pending calls too).
/// All operations take one lock and cost O(log n).
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IWorkQueueMetrics? _metrics;
    private readonly WorkQueueRateLimiter<TKey> _limiter;

    // Queued keys and their due times. The heap may hold stale entries (superseded by an earlier due time
    // or removed); an entry is live only while its sequence number matches the one recorded here.
    private readonly Dictionary<TKey, Entry> _queued;

    // One heap per priority, indexed by QueuePriority.
    private readonly PriorityQueue<(TKey Key, long Seq), (DateTimeOffset Due, long Seq)>[] _heaps = [new(), new()];

    // Keys out with a worker (value: when it took them), and keys re-added meanwhile (earliest due time, highest priority).
    private readonly Dictionary<TKey, long> _processing;
    private readonly Dictionary<TKey, (DateTimeOffset Due, QueuePriority Priority)> _held;

    private readonly LinkedList<Waiter> _waiters = new();
    private readonly ITimer _timer;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _timerDue;
    private long _seq;
    private bool _shutDown;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? time = null, IEqualityComparer<TKey>? comparer = null)
    {
        options ??= new WorkQueueOptions();
        _time = time ?? TimeProvider.System;
        _metrics = options.Metrics;
        _limiter = new WorkQueueRateLimiter<TKey>(options, _time, comparer);
        _queued = new Dictionary<TKey, Entry>(comparer);
        _processing = new Dictionary<TKey, long>(comparer);
        _held = new Dictionary<TKey, (DateTimeOffset, QueuePriority)>(comparer);
        _timer = _time.CreateTimer(static state => ((WorkQueue<TKey>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys waiting to be handed out: queued (due or not) plus those held behind an in-flight run.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _queued.Count + _held.Count;
        }
    }

    /// <summary>Keys currently out with a worker (taken and not yet <see cref="Done"/>).</summary>
    public int Processing
    {
        get
        {
            lock (_gate) return _processing.Count;
        }
    }

    public bool IsShutDown
    {
        get
        {
            lock (_gate) return _shutDown;
        }
    }

    /// <summary>Queues <paramref name="key"/> to run now.</summary>
    public void Add(TKey key) => AddAfter(key, TimeSpan.Zero);

    /// <summary>Queues <paramref name="key"/> to run now, at <paramref name="priority"/> (a higher pending priority is kept).</summary>
    public void Add(TKey key, QueuePriority priority) => AddAfter(key, TimeSpan.Zero, priority);

    /// <summary>Queues <paramref name="key"/> to run after <paramref name="delay"/>; an earlier pending due time and a higher pending priority are kept.</summary>
    public void AddAfter(TKey key, TimeSpan delay, QueuePriority priority = QueuePriority.Normal)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shutDown) return;
            _metrics?.Added();
            Enqueue(key, Due(delay), priority);
            Pump();
        }
    }

    /// <summary>Counts a failure of <paramref name="key"/> and queues it after its backoff (and the overall limit, if set).</summary>
    public void AddRateLimited(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shutDown) return;
            var delay = _limiter.NextDelay(key);
            _metrics?.Added();
            _metrics?.Retried(delay);
            Enqueue(key, Due(delay), QueuePriority.Normal);
            Pump();
        }
    }

    /// <summary>Resets the failure count of <paramref name="key"/> (call after a successful reconcile).</summary>
    public void Forget(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate) _limiter.Forget(key);
    }

    /// <summary>Consecutive failures counted for <paramref name="key"/> since it was last forgotten.</summary>
    public int Failures(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate) return _limiter.Failures(key);
    }

    /// <summary>
    /// Waits for the key with the earliest due time and marks it in flight; call <see cref="Done"/> when finished.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires or the queue shuts down.
    /// </summary>
    public ValueTask<TKey> TakeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<TKey>(cancellationToken);
        lock (_gate)
        {
            if (_shutDown) return ValueTask.FromException<TKey>(ShutDownException());
            var now = _time.GetUtcNow();
            if (_waiters.Count == 0 && TryDequeueDue(now, out var key, out var due))
            {
                StartProcessing(key, due, now);
                return new ValueTask<TKey>(key);
            }
            var waiter = new Waiter();
            var node = _waiters.AddLast(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.UnsafeRegister(
                    static (state, token) => ((WaiterNode)state!).Cancel(token), new WaiterNode(this, node));
            }
            ArmTimer(now);
            return new ValueTask<TKey>(waiter.Source.Task);
        }
    }

    /// <summary>Marks <paramref name="key"/> finished; if it was added meanwhile it becomes available again (once).</summary>
    public void Done(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_processing.Remove(key, out var startedAt)) return;
            _metrics?.Completed(_time.GetElapsedTime(startedAt));
            if (_held.Remove(key, out var held)) Enqueue(key, held.Due, held.Priority);
            if (_shutDown && _processing.Count == 0) _drained.TrySetResult();
            Pump();
        }
    }

    /// <summary>
    /// Drops every queued and held key and all failure counts (e.g. leadership was lost). Keys in flight stay in
    /// flight until their <see cref="Done"/>, and are not re-run afterwards.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queued.Clear();
            ClearHeaps();
            _held.Clear();
            _limiter.Reset();
            _metrics?.DepthChanged(0);
        }
    }

    /// <summary>Stops handing out keys: waiting and future <see cref="TakeAsync"/> calls throw; adds are ignored.</summary>
    public void ShutDown()
    {
        List<Waiter> waiters;
        lock (_gate)
        {
            if (_shutDown) return;
            _shutDown = true;
            _queued.Clear();
            ClearHeaps();
            _held.Clear();
            waiters = [.. _waiters];
            _waiters.Clear();
            _timer.Dispose();
            if (_processing.Count == 0) _drained.TrySetResult();
        }
        foreach (var waiter in waiters)
        {
            waiter.Registration.Unregister();
            waiter.Source.TrySetException(ShutDownException());
        }
    }

    /// <summary>Shuts down and waits until every key in flight is <see cref="Done"/>; false if <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> ShutDownAndDrainAsync(TimeSpan timeout)
    {
        ShutDown();
        try
        {
            await _drained.Task.WaitAsync(timeout, _time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => ShutDown();

    private DateTimeOffset Due(TimeSpan delay) => _time.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);

    private void Enqueue(TKey key, DateTimeOffset due, QueuePriority priority)
    {
        if (_processing.ContainsKey(key))
        {
            _held[key] = _held.TryGetValue(key, out var held) ? (Min(held.Due, due), Max(held.Priority, priority)) : (due, priority);
        }
        else
        {
            if (_queued.TryGetValue(key, out var queued))
            {
                if (queued.Due <= due && queued.Priority >= priority) return;
                due = Min(queued.Due, due);
                priority = Max(queued.Priority, priority);
            }
            var seq = ++_seq;
            _queued[key] = new Entry(due, seq, priority);
            var heap = _heaps[(int)priority];
            heap.Enqueue((key, seq), (due, seq));
            if (heap.Count > 64 + 2 * _queued.Count) Compact();
        }
        _metrics?.DepthChanged(_queued.Count + _held.Count);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static QueuePriority Max(QueuePriority a, QueuePriority b) => a > b ? a : b;

    private void ClearHeaps()
    {
        foreach (var heap in _heaps) heap.Clear();
    }

    /// <summary>Rebuilds the heaps from live entries when superseded ones pile up.</summary>
    private void Compact()
    {
        ClearHeaps();
        foreach (var (key, entry) in _queued) _heaps[(int)entry.Priority].Enqueue((key, entry.Seq), (entry.Due, entry.Seq));
    }

    /// <summary>The earliest live entry of one heap (superseded entries on top are dropped).</summary>
    private bool TryPeekLive(QueuePriority priority, out DateTimeOffset due)
    {
        var heap = _heaps[(int)priority];
        while (heap.TryPeek(out var item, out var order))
        {
            if (_queued.TryGetValue(item.Key, out var entry) && entry.Seq == item.Seq)
            {
                due = order.Due;
                return true;
            }
            heap.Dequeue();
        }
        due = default;
        return false;
    }

    /// <summary>The earliest due time of any queued key (for the timer).</summary>
    private bool TryPeekDue(out DateTimeOffset due)
    {
        var high = TryPeekLive(QueuePriority.High, out var highDue);
        var normal = TryPeekLive(QueuePriority.Normal, out var normalDue);
        due = high && (!normal || highDue <= normalDue) ? highDue : normalDue;
        return high || normal;
    }

    /// <summary>A due high-priority key if there is one, else the earliest due normal one.</summary>
    private bool TryDequeueDue(DateTimeOffset now, out TKey key, out DateTimeOffset due)
    {
        foreach (var priority in (ReadOnlySpan<QueuePriority>)[QueuePriority.High, QueuePriority.Normal])
        {
            if (TryPeekLive(priority, out due) && due <= now)
            {
                key = _heaps[(int)priority].Dequeue().Key;
                _queued.Remove(key);
                return true;
            }
        }
        key = default!;
        due = default;
        return false;
    }

    private void StartProcessing(TKey key, DateTimeOffset due, DateTimeOffset now)
    {
        _processing[key] = _time.GetTimestamp();
        _metrics?.Taken(now > due ? now - due : TimeSpan.Zero);
        _metrics?.DepthChanged(_queued.Count + _held.Count);
    }

    /// <summary>Hands due keys to waiting workers in arrival order, then arms the timer for the next due key.</summary>
    private void Pump()
    {
        if (_waiters.Count == 0) return;
        var now = _time.GetUtcNow();
        while (_waiters.First is { } first && TryDequeueDue(now, out var key, out var due))
        {
            _waiters.RemoveFirst();
            StartProcessing(key, due, now);
            first.Value.Registration.Unregister();
            first.Value.Source.TrySetResult(key);
        }
        ArmTimer(now);
    }

    private void ArmTimer(DateTimeOffset now)
    {
        if (_shutDown || _waiters.Count == 0 || !TryPeekDue(out var due) || due <= now || _timerDue == due) return;
        _timerDue = due;
        _timer.Change(due - now, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = null;
            if (!_shutDown) Pump();
        }
    }

    private void CancelWaiter(LinkedListNode<Waiter> node, CancellationToken token)
    {
        lock (_gate)
        {
            // Already handed a key (or failed by shutdown): that outcome stands.
            if (node.List is null) return;
            _waiters.Remove(node);
        }
        node.Value.Source.TrySetCanceled(token);
    }

    private static OperationCanceledException ShutDownException() => new("The work queue is shut down.");

    private readonly record struct Entry(DateTimeOffset Due, long Seq, QueuePriority Priority);

    private sealed class Waiter
    {
        public TaskCompletionSource<TKey> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class WaiterNode(WorkQueue<TKey> queue, LinkedListNode<Waiter> node)
    {
        public void Cancel(CancellationToken token) => queue.CancelWaiter(node, token);
    }
}
