using System.Security.Cryptography.X509Certificates;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Security;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.LocalCluster;

/// <summary>How an <see cref="ApiServerDouble"/> listens, authenticates and behaves.</summary>
public sealed class ApiServerOptions
{
    /// <summary>Serve HTTPS (HTTP/1.1 and HTTP/2 via ALPN) with a serving certificate signed by a generated CA.</summary>
    public bool UseTls { get; set; }

    /// <summary>How many recent change events a watch can resume from; older resourceVersions get 410 Gone.</summary>
    public int WatchHistorySize { get; set; } = 1000;

    /// <summary>Interval of BOOKMARK events for watches that ask for them.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When set, this token authenticates as kubernetes-admin (system:masters) and requests without credentials get 401.</summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>Static bearer tokens (kube-apiserver's token file): token → user. system:authenticated is added to each.</summary>
    public IReadOnlyDictionary<string, UserInfo>? Tokens { get; set; }

    /// <summary>AlwaysAllow (default) or Rbac: Roles, ClusterRoles and their bindings decide, and denials are 403 Forbidden.</summary>
    public AuthorizationMode Authorization { get; set; } = AuthorizationMode.AlwaysAllow;

    /// <summary>Requests without credentials run as system:anonymous (group system:unauthenticated), as with --anonymous-auth=true.</summary>
    public bool AnonymousAuth { get; set; } = true;

    /// <summary>Require a TLS client certificate signed by <see cref="ClientCaCertificate"/> (or by the generated CA when that is null). Implies <see cref="UseTls"/>.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>The CA that client certificates must chain to.</summary>
    public X509Certificate2? ClientCaCertificate { get; set; }

    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Evaluates CRD <c>x-kubernetes-validations</c>; null skips CEL rules (the schema decides how).</summary>
    public ICelEvaluator? CelEvaluator { get; set; }

    /// <summary>
    /// True (default): deleting a scheduled pod removes it at once, because no kubelet exists to finish termination.
    /// False: a pod with <c>spec.nodeName</c> and a grace period above zero only gets a deletionTimestamp and stays
    /// until someone (a kubelet) deletes it again with <c>gracePeriodSeconds=0</c>.
    /// </summary>
    public bool PodsTerminateImmediately { get; set; } = true;

    /// <summary>Clock for timestamps (creationTimestamp, deletionTimestamp, CRD conditions).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How many events a watcher may have queued before the server gives up on it and closes its stream.</summary>
    public int WatcherBufferSize { get; set; } = 10_000;

    /// <summary>How many paged-list snapshots are kept for <c>continue</c> tokens; older tokens get 410 Expired.</summary>
    public int ListSnapshotCapacity { get; set; } = 64;
}
