using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Leader election on a coordination.k8s.io/v1 Lease. Defaults follow controller-runtime (15 s / 10 s / 2 s).</summary>
public sealed class LeaderElectionOptions
{
    public string LeaseName { get; set; } = "";

    public string LeaseNamespace { get; set; } = "";

    /// <summary>This replica's name in the lease: POD_NAME when set, else the host name plus a random suffix.</summary>
    public string Identity { get; set; } = DefaultIdentity();

    /// <summary>How long followers wait, after last seeing the lease change, before taking it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire attempts (jittered) and between renewals.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline of one acquire attempt (a renewal may use all the time left before the renew deadline); null means half
    /// the renew deadline. Never beyond the renew deadline.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>On graceful stop, clear the holder so another replica takes over at once instead of after the lease expires.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    internal TimeSpan EffectiveRequestTimeout => RequestTimeout is { } t && t > TimeSpan.Zero && t < RenewDeadline ? t : RenewDeadline / 2;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(LeaseName)) throw new ArgumentException("LeaseName is required", nameof(LeaseName));
        if (string.IsNullOrWhiteSpace(LeaseNamespace)) throw new ArgumentException("LeaseNamespace is required", nameof(LeaseNamespace));
        if (string.IsNullOrWhiteSpace(Identity)) throw new ArgumentException("Identity is required", nameof(Identity));
        if (RetryPeriod <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryPeriod), "must be positive");
        if (RenewDeadline <= RetryPeriod) throw new ArgumentOutOfRangeException(nameof(RenewDeadline), "must be longer than RetryPeriod");
        if (LeaseDuration <= RenewDeadline) throw new ArgumentOutOfRangeException(nameof(LeaseDuration), "must be longer than RenewDeadline");
        if (LeaseDuration < TimeSpan.FromSeconds(1)) throw new ArgumentOutOfRangeException(nameof(LeaseDuration), "the lease records whole seconds: at least 1 s");
    }

    private static string DefaultIdentity()
    {
        var pod = Environment.GetEnvironmentVariable("POD_NAME");
        if (!string.IsNullOrWhiteSpace(pod)) return pod;
        return $"{Environment.MachineName.ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
