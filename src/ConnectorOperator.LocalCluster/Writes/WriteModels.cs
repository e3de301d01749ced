using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Writes;

/// <summary>Query options of create, update and patch.</summary>
public sealed record WriteOptions
{
    public static WriteOptions Default { get; } = new();

    /// <summary><c>dryRun=All</c>: run everything, persist nothing.</summary>
    public bool DryRun { get; init; }

    public FieldValidationMode FieldValidation { get; init; } = FieldValidationMode.Warn;

    /// <summary>Who writes: the fieldManager query, else the user agent's program name (as the apiserver defaults it). Recorded in managedFields.</summary>
    public string? FieldManager { get; init; }

    /// <summary>A server-side apply: the apply itself maintains managedFields, and a patch creates a missing object.</summary>
    public bool IsApply { get; init; }

    /// <summary>Who writes, for admission (<c>request.userInfo</c>, the authorizer library); null is the double itself (system:masters).</summary>
    public UserInfo? User { get; init; }
}

/// <summary>The stored object after a write; <see cref="Created"/> tells 201 from 200.</summary>
public sealed record WriteResult(JsonObject Object, bool Created, IReadOnlyList<string> Warnings);

/// <summary>meta/v1 DeleteOptions, from the body or the query.</summary>
public sealed record DeleteOptions
{
    public static DeleteOptions Default { get; } = new();

    public long? GracePeriodSeconds { get; init; }

    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    public bool DryRun { get; init; }
}

/// <summary>The object as left by a delete; <see cref="Removed"/> is false when finalizers or graceful termination keep it.</summary>
public sealed record DeleteResult(JsonObject Object, bool Removed);
