using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics:
/// <list type="bullet">
/// <item>A candidate tries every <see cref="LeaderElectionOptions.RetryPeriod"/> (jittered). The lease is free when it
/// has no holder, or when its record has not changed for its leaseDurationSeconds as measured by OUR clock since we
/// last saw it change (never by comparing its renewTime with our clock, so clock skew between nodes is harmless).</item>
/// <item>Every write is a PUT carrying the resourceVersion read (409 means another replica won the race) or a create
/// when the Lease does not exist yet (AlreadyExists means the same).</item>
/// <item>The leader renews every RetryPeriod; each attempt has its own deadline. If no renewal succeeds within
/// <see cref="LeaderElectionOptions.RenewDeadline"/>, or another holder appears, it stops leading at once.</item>
/// </list>
/// One elector runs one term per <see cref="RunAsync"/> call; call it again to stand for election again.
/// </summary>
public sealed class LeaderElector
{
    private const double JitterFactor = 0.2;

    private readonly KubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Only the RunAsync loop touches these (one at a time, guarded by _running).
    private V1Lease? _observed;
    private long _observedAt;
    private bool _lastWriteOurs;
    private string? _reportedLeader;
    private int _running;
    private long _acquireAttemptStartedAt;

    private volatile bool _isLeader;
    private volatile string? _currentLeader;

    public LeaderElector(KubernetesClient client, LeaderElectionOptions options, TimeProvider? time = null, ILogger<LeaderElector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Identity => _options.Identity;

    /// <summary>True from a successful acquire until this replica stops leading.</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder last seen in the lease (this replica or another), or null when none/unknown.</summary>
    public string? CurrentLeader => _currentLeader;

    /// <summary>
    /// Campaigns until this replica leads or <paramref name="cancellationToken"/> fires, then leads:
    /// <paramref name="onStartedLeading"/> runs with a token that is cancelled the moment leadership is lost or the
    /// caller cancels. Completes when the term is over:
    /// <list type="bullet">
    /// <item>Lost (renew deadline passed or another holder appeared): the token is cancelled and
    /// <paramref name="onStoppedLeading"/> is called at once, before waiting for the leading work to return.</item>
    /// <item>Cancelled by the caller, or the leading work returned by itself: renewals continue until the work has
    /// returned, then the lease is released (when <see cref="LeaderElectionOptions.ReleaseOnCancel"/>) and
    /// <paramref name="onStoppedLeading"/> is called.</item>
    /// </list>
    /// <paramref name="onStoppedLeading"/> is called only if this replica led. <paramref name="onNewLeader"/> is told
    /// each newly observed holder (including this replica). Cancellation completes the task normally; an exception
    /// thrown by the leading work (other than cancellation) is rethrown after the lease was handled.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, Action<string>? onNewLeader = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onStartedLeading);
        ArgumentNullException.ThrowIfNull(onStoppedLeading);
        if (Interlocked.Exchange(ref _running, 1) == 1) throw new InvalidOperationException("This elector is already running.");
        try
        {
            if (!await AcquireAsync(onNewLeader, cancellationToken)) return;
            if (cancellationToken.IsCancellationRequested)
            {
                // Cancelled while the winning write was in flight: hand the lease back without ever starting to lead.
                if (_options.ReleaseOnCancel) await ReleaseAsync();
                return;
            }
            await LeadAsync(onStartedLeading, onStoppedLeading, onNewLeader, cancellationToken);
        }
        finally
        {
            _isLeader = false;
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<bool> AcquireAsync(Action<string>? onNewLeader, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Standing for leader of lease {Namespace}/{Lease} as {Identity}", _options.LeaseNamespace, _options.LeaseName, Identity);
        while (!cancellationToken.IsCancellationRequested)
        {
            _acquireAttemptStartedAt = _time.GetTimestamp();
            var acquired = await AttemptAsync(_options.EffectiveRequestTimeout, cancellationToken);
            ReportLeader(onNewLeader);
            if (acquired)
            {
                _isLeader = true;
                _logger.LogInformation("Acquired lease {Namespace}/{Lease} as {Identity}", _options.LeaseNamespace, _options.LeaseName, Identity);
                return true;
            }
            var wait = _options.RetryPeriod * (1 + Random.Shared.NextDouble() * JitterFactor);
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return false;
    }

    private async Task LeadAsync(Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, Action<string>? onNewLeader,
        CancellationToken cancellationToken)
    {
        using var leading = new CancellationTokenSource();
        var work = Task.Run(() => onStartedLeading(leading.Token), CancellationToken.None);
        // The deadline counts from when the winning request was sent: the server may have stamped it any time after.
        var renewedAt = _acquireAttemptStartedAt;
        var stopping = false;
        var lost = false;
        var failedSinceRenewal = false;
        while (true)
        {
            if (!stopping && cancellationToken.IsCancellationRequested)
            {
                stopping = true;
                await leading.CancelAsync();
            }
            if (work.IsCompleted) break;
            var remaining = _options.RenewDeadline - _time.GetElapsedTime(renewedAt);
            if (remaining <= TimeSpan.Zero && !failedSinceRenewal && await RenewLateAsync(renewedAt) is { } lateRenewal)
            {
                renewedAt = lateRenewal;
                continue;
            }
            if (remaining <= TimeSpan.Zero)
            {
                _logger.LogWarning("Lost lease {Namespace}/{Lease}: no renewal succeeded within {RenewDeadline}",
                    _options.LeaseNamespace, _options.LeaseName, _options.RenewDeadline);
                lost = true;
                break;
            }

            // While renewals fail the wait shrinks so that the deadline is noticed the moment it passes.
            var wait = remaining < _options.RetryPeriod ? remaining : _options.RetryPeriod;
            await WaitAsync(work, wait, stopping ? CancellationToken.None : cancellationToken);
            if (work.IsCompleted || (!stopping && cancellationToken.IsCancellationRequested)) continue;
            remaining = _options.RenewDeadline - _time.GetElapsedTime(renewedAt);
            if (remaining <= TimeSpan.Zero) continue;

            // A renewal may use all the time left: under CPU starvation a slow answer is still an answer.
            var attemptStartedAt = _time.GetTimestamp();
            if (await AttemptAsync(remaining, CancellationToken.None))
            {
                renewedAt = attemptStartedAt;
                failedSinceRenewal = false;
            }
            else if (_observed?.Spec.HolderIdentity is { Length: > 0 } holder && holder != Identity)
            {
                _logger.LogWarning("Lost lease {Namespace}/{Lease}: now held by {Holder}", _options.LeaseNamespace, _options.LeaseName, holder);
                lost = true;
                ReportLeader(onNewLeader);
                break;
            }
            else
            {
                failedSinceRenewal = true;
            }
            ReportLeader(onNewLeader);
        }

        if (lost)
        {
            _isLeader = false;
            await leading.CancelAsync();
            Invoke(onStoppedLeading, "onStoppedLeading");
            await ObserveAsync(work);
            return;
        }

        if (!stopping) _logger.LogInformation("Leading work returned; stepping down from lease {Namespace}/{Lease}", _options.LeaseNamespace, _options.LeaseName);
        if (_options.ReleaseOnCancel) await ReleaseAsync();
        _isLeader = false;
        Invoke(onStoppedLeading, "onStoppedLeading");
        if (work.IsFaulted && work.Exception!.InnerException is not OperationCanceledException) await work;
    }

    /// <summary>
    /// The deadline passed without a failed attempt: this process did not run (CPU starvation, a paused VM) and
    /// overslept. No follower can take the lease before it has looked unchanged for the lease duration, so until
    /// then one renewal is still safe; it is guarded by the resourceVersion we wrote last, so it succeeds only if
    /// nobody else wrote the lease meanwhile. Returns when that renewal was sent, or null (then leadership ends).
    /// </summary>
    private async Task<long?> RenewLateAsync(long renewedAt)
    {
        var left = _options.LeaseDuration - _time.GetElapsedTime(renewedAt);
        if (left <= TimeSpan.Zero || !_lastWriteOurs) return null;
        var startedAt = _time.GetTimestamp();
        if (!await AttemptAsync(left < _options.EffectiveRequestTimeout ? left : _options.EffectiveRequestTimeout, CancellationToken.None)) return null;
        _logger.LogWarning("Lease {Namespace}/{Lease}: renewed {Late} after the renew deadline; this process had not run (CPU starvation?)",
            _options.LeaseNamespace, _options.LeaseName, _time.GetElapsedTime(renewedAt) - _options.RenewDeadline);
        return startedAt;
    }

    /// <summary>Waits for the delay, the leading work to return, or the token, whichever comes first; never throws.</summary>
    private async Task WaitAsync(Task work, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delayTask = Task.Delay(delay, _time, stop.Token);
        await Task.WhenAny(work, delayTask);
        await stop.CancelAsync();
        await delayTask.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One acquire-or-renew attempt under its own deadline; false on any failure (logged), never throws.</summary>
    private async Task<bool> AttemptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await TryAcquireOrRenewAsync(linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            _lastWriteOurs = false;
            _logger.LogWarning("Lease {Namespace}/{Lease}: attempt timed out after {Timeout}", _options.LeaseNamespace, _options.LeaseName, timeout);
            return false;
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or TimeoutException or IOException or System.Text.Json.JsonException)
        {
            _lastWriteOurs = false;
            _logger.LogWarning("Lease {Namespace}/{Lease}: attempt failed: {Error}", _options.LeaseNamespace, _options.LeaseName, e.Message);
            return false;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        V1Lease current;
        if (_isLeader && _lastWriteOurs && _observed is { } ours)
        {
            // Renewal: write against the version we wrote last; a 409 means someone else touched it, so re-read next time.
            current = ours;
        }
        else
        {
            var found = await _client.TryGetAsync<V1Lease>(ResourceType.Lease, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
            if (found is null) return await CreateAsync(now, cancellationToken);
            Observe(found);
            if (HeldByAnother(found)) return false;
            current = found;
        }

        try
        {
            var written = await _client.ReplaceAsync(ResourceType.Lease, Next(current, now), cancellationToken: cancellationToken);
            Observe(written);
            _lastWriteOurs = true;
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound)
        {
            _lastWriteOurs = false;
            _logger.LogDebug("Lease {Namespace}/{Lease}: write lost a race ({Reason})", _options.LeaseNamespace, _options.LeaseName, e.Reason);
            return false;
        }
    }

    private async Task<bool> CreateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lease = new V1Lease
        {
            ApiVersion = LeaseApiVersion,
            Kind = V1Lease.KubeKind,
            Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.LeaseNamespace },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = Identity,
                LeaseDurationSeconds = DurationSeconds,
                AcquireTime = now.UtcDateTime,
                RenewTime = now.UtcDateTime,
                LeaseTransitions = 0,
            },
        };
        try
        {
            Observe(await _client.CreateAsync(ResourceType.Lease, lease, cancellationToken));
            _lastWriteOurs = true;
            return true;
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            _logger.LogDebug("Lease {Namespace}/{Lease}: another replica created it first", _options.LeaseNamespace, _options.LeaseName);
            return false;
        }
    }

    /// <summary>Hands the lease back: no holder and a 1 s duration, so a waiting replica takes it on its next try.</summary>
    private async Task ReleaseAsync()
    {
        if (_observed is not { } current || current.Spec.HolderIdentity != Identity) return;
        var now = _time.GetUtcNow();
        var released = new V1Lease
        {
            ApiVersion = LeaseApiVersion,
            Kind = V1Lease.KubeKind,
            Metadata = CopyMetadata(current.Metadata),
            Spec = new V1LeaseSpec
            {
                HolderIdentity = null,
                LeaseDurationSeconds = 1,
                AcquireTime = now.UtcDateTime,
                RenewTime = now.UtcDateTime,
                LeaseTransitions = current.Spec.LeaseTransitions,
            },
        };
        using var deadline = new CancellationTokenSource(_options.EffectiveRequestTimeout, _time);
        try
        {
            Observe(await _client.ReplaceAsync(ResourceType.Lease, released, cancellationToken: deadline.Token));
            _logger.LogInformation("Released lease {Namespace}/{Lease}", _options.LeaseNamespace, _options.LeaseName);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or TimeoutException or IOException
                                      or OperationCanceledException or System.Text.Json.JsonException)
        {
            // Not fatal: the lease simply expires after its duration.
            _logger.LogWarning("Lease {Namespace}/{Lease}: release failed: {Error}", _options.LeaseNamespace, _options.LeaseName, e.Message);
        }
    }

    private V1Lease Next(V1Lease current, DateTimeOffset now)
    {
        var spec = current.Spec;
        var ours = spec.HolderIdentity == Identity;
        return new V1Lease
        {
            ApiVersion = LeaseApiVersion,
            Kind = V1Lease.KubeKind,
            Metadata = CopyMetadata(current.Metadata),
            Spec = new V1LeaseSpec
            {
                HolderIdentity = Identity,
                LeaseDurationSeconds = DurationSeconds,
                AcquireTime = ours ? spec.AcquireTime ?? now.UtcDateTime : now.UtcDateTime,
                RenewTime = now.UtcDateTime,
                LeaseTransitions = ours ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
            },
        };
    }

    /// <summary>Records what we saw; the local observation time moves only when the record actually changed.</summary>
    private void Observe(V1Lease lease)
    {
        if (_observed is null || _observed.Metadata.ResourceVersion != lease.Metadata.ResourceVersion)
            _observedAt = _time.GetTimestamp();
        _observed = lease;
        _currentLeader = string.IsNullOrEmpty(lease.Spec.HolderIdentity) ? null : lease.Spec.HolderIdentity;
    }

    private bool HeldByAnother(V1Lease lease)
    {
        var holder = lease.Spec.HolderIdentity;
        if (string.IsNullOrEmpty(holder) || holder == Identity) return false;
        var duration = lease.Spec.LeaseDurationSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : _options.LeaseDuration;
        return _time.GetElapsedTime(_observedAt) < duration;
    }

    private const string LeaseApiVersion = V1Lease.KubeGroup + "/" + V1Lease.KubeApiVersion;

    private int DurationSeconds => (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);

    private void ReportLeader(Action<string>? onNewLeader)
    {
        var holder = _currentLeader;
        if (holder is null || holder == _reportedLeader) return;
        _reportedLeader = holder;
        if (holder != Identity) _logger.LogInformation("Lease {Namespace}/{Lease} is held by {Holder}", _options.LeaseNamespace, _options.LeaseName, holder);
        if (onNewLeader is not null) Invoke(() => onNewLeader(holder), "onNewLeader");
    }

    private void Invoke(Action callback, string name)
    {
        try
        {
            callback();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Leader election callback {Callback} threw", name);
        }
    }

    private async Task ObserveAsync(Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException)
        {
            // The expected way for leading work to end.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Leading work failed after leadership was lost");
        }
    }

    private static V1ObjectMeta CopyMetadata(V1ObjectMeta meta) => new()
    {
        Name = meta.Name,
        NamespaceProperty = meta.NamespaceProperty,
        Uid = meta.Uid,
        ResourceVersion = meta.ResourceVersion,
        Labels = meta.Labels,
        Annotations = meta.Annotations,
        OwnerReferences = meta.OwnerReferences,
        Finalizers = meta.Finalizers,
    };
}
