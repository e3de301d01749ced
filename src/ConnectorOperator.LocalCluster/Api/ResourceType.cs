using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>Where a custom resource's scale subresource reads and writes replicas (JSON paths like ".spec.replicas").</summary>
public sealed record ScalePaths(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>
/// One served resource at one group/version. Objects are stored per <see cref="StorageKey"/> (group + plural),
/// so every served version of a custom resource shares one store, as with the real apiserver's "None" conversion.
/// A built-in may instead share another's store through a <see cref="Conversion"/> (events.k8s.io/v1 Events).
/// </summary>
public sealed class ResourceType
{
    // Derived names, built on first read: every property is init-only, so they never change afterwards.
    private string? _apiVersion;
    private string? _storageKey;
    private string? _qualifiedResource;

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>A /status subresource exists: the main resource ignores status changes and /status takes only status.</summary>
    public bool HasStatus { get; init; }

    /// <summary>Set for custom resources that declare a scale subresource.</summary>
    public ScalePaths? Scale { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>A review (SubjectAccessReview, SelfSubjectReview, ...): only <c>create</c>, answered at once and never stored.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>Custom resources: the version's parsed schema (defaulting, pruning, validation).</summary>
    public StructuralSchema? Schema { get; init; }

    /// <summary>Custom resources: the version's openAPIV3Schema as written in the CRD (for OpenAPI documents).</summary>
    public JsonObject? OpenApiSchema { get; init; }

    /// <summary>Custom resources: the version's additionalPrinterColumns.</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>Field selector paths accepted besides metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>
    /// Whether metadata.generation is maintained: custom resources, CRDs, PodDisruptionBudgets and (as the double's
    /// contract asks) pods. Other built-ins (ConfigMap, Secret, Lease, ...) leave it unset, as their strategies do.
    /// </summary>
    public bool TracksGeneration => IsCustom || (Group.Length == 0 && Plural == "pods") || Plural is "poddisruptionbudgets" or "customresourcedefinitions";

    public string ApiVersion => _apiVersion ??= Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// Where the objects live: group + plural, unless the resource shares another's store (events.k8s.io/v1 Events are
    /// the core/v1 Events, as in the real apiserver).
    /// </summary>
    public string StorageKey => _storageKey ??= SharedStorageKey ?? $"{Group}/{Plural}";

    /// <summary>Set when this resource is served from another resource's store (see <see cref="Conversion"/>).</summary>
    internal string? SharedStorageKey { get; init; }

    /// <summary>Converts between this version's shape and the stored one; null when objects are only relabelled.</summary>
    internal IStoredFormConversion? Conversion { get; init; }

    /// <summary>
    /// Reads a field selector label from a stored object when the label is not simply a path in it (renamed or
    /// computed labels); null reads the label as a dotted path.
    /// </summary>
    internal Func<JsonObject, string, string?>? SelectableFieldReader { get; init; }

    /// <summary>"pods" or "agentconnectors.connectoroperator.dev", as error messages name it.</summary>
    public string QualifiedResource => _qualifiedResource ??= Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"Pod" or "AgentConnector.connectoroperator.dev", as Invalid messages name it.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";
}
