using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConnectorOperator.Kubernetes.Serialization;

namespace ConnectorOperator.Kubernetes.Models;

/// <summary>events.k8s.io/v1 Event.</summary>
public sealed class Event : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "events.k8s.io/v1";
    public string? Kind { get; set; } = "Event";
    public ObjectMeta Metadata { get; set; } = new();
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }
    public EventSeries? Series { get; set; }
    public string? ReportingController { get; set; }
    public string? ReportingInstance { get; set; }
    public string? Action { get; set; }
    public string? Reason { get; set; }
    public ObjectReference? Regarding { get; set; }
    public ObjectReference? Related { get; set; }
    public string? Note { get; set; }
    /// <summary>Normal or Warning.</summary>
    public string? Type { get; set; }
}

public sealed class EventSeries
{
    public int Count { get; set; }
    [JsonConverter(typeof(RequiredMicroTimeConverter))]
    public DateTimeOffset LastObservedTime { get; set; }
}

public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string? Namespace { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? FieldPath { get; set; }
}

/// <summary>coordination.k8s.io/v1 Lease.</summary>
public sealed class Lease : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";
    public string? Kind { get; set; } = "Lease";
    public ObjectMeta Metadata { get; set; } = new();
    public LeaseSpec Spec { get; set; } = new();
}

public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }
    public int? LeaseDurationSeconds { get; set; }
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }
    public int? LeaseTransitions { get; set; }
}

/// <summary>policy/v1 PodDisruptionBudget.</summary>
public sealed class PodDisruptionBudget : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "policy/v1";
    public string? Kind { get; set; } = "PodDisruptionBudget";
    public ObjectMeta Metadata { get; set; } = new();
    public PodDisruptionBudgetSpec Spec { get; set; } = new();
    public PodDisruptionBudgetStatus? Status { get; set; }
}

public sealed class PodDisruptionBudgetSpec
{
    public IntOrString? MinAvailable { get; set; }
    public IntOrString? MaxUnavailable { get; set; }
    public LabelSelector? Selector { get; set; }
}

public sealed class PodDisruptionBudgetStatus
{
    public long? ObservedGeneration { get; set; }
    public int CurrentHealthy { get; set; }
    public int DesiredHealthy { get; set; }
    public int DisruptionsAllowed { get; set; }
    public int ExpectedPods { get; set; }
}

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition. Schemas stay as JSON: we generate, never interpret, them here.</summary>
public sealed class CustomResourceDefinition : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "apiextensions.k8s.io/v1";
    public string? Kind { get; set; } = "CustomResourceDefinition";
    public ObjectMeta Metadata { get; set; } = new();
    public CustomResourceDefinitionSpec Spec { get; set; } = new();
    public JsonObject? Status { get; set; }
}

public sealed class CustomResourceDefinitionSpec
{
    public string Group { get; set; } = "";
    public CustomResourceDefinitionNames Names { get; set; } = new();
    /// <summary>Namespaced or Cluster.</summary>
    public string Scope { get; set; } = "Namespaced";
    public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];
}

public sealed class CustomResourceDefinitionNames
{
    public string Plural { get; set; } = "";
    public string? Singular { get; set; }
    public string Kind { get; set; } = "";
    public string? ListKind { get; set; }
    public List<string>? ShortNames { get; set; }
    public List<string>? Categories { get; set; }
}

public sealed class CustomResourceDefinitionVersion
{
    public string Name { get; set; } = "";
    public bool Served { get; set; } = true;
    public bool Storage { get; set; } = true;
    public JsonObject? Schema { get; set; }
    public JsonObject? Subresources { get; set; }
    public List<JsonObject>? AdditionalPrinterColumns { get; set; }
}
