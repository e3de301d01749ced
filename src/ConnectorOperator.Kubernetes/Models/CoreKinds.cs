using System.Text.Json;

namespace ConnectorOperator.Kubernetes.Models;

public sealed class Secret : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Secret";
    public ObjectMeta Metadata { get; set; } = new();
    public string? Type { get; set; }
    /// <summary>Base64 values as the API sends them; decode with <see cref="Convert.FromBase64String"/>.</summary>
    public Dictionary<string, string>? Data { get; set; }
    public Dictionary<string, string>? StringData { get; set; }
    public bool? Immutable { get; set; }
}

public sealed class ConfigMap : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "ConfigMap";
    public ObjectMeta Metadata { get; set; } = new();
    public Dictionary<string, string>? Data { get; set; }
}

public sealed class Namespace : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Namespace";
    public ObjectMeta Metadata { get; set; } = new();
    public JsonElement? Spec { get; set; }
    public JsonElement? Status { get; set; }
}

/// <summary>autoscaling/v1 Scale, served by a resource's /scale subresource.</summary>
public sealed class Scale : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "autoscaling/v1";
    public string? Kind { get; set; } = "Scale";
    public ObjectMeta Metadata { get; set; } = new();
    public ScaleSpec Spec { get; set; } = new();
    public ScaleStatus? Status { get; set; }
}

public sealed class ScaleSpec
{
    public int? Replicas { get; set; }
}

public sealed class ScaleStatus
{
    public int Replicas { get; set; }
    public string? Selector { get; set; }
}

/// <summary>metav1.Condition, the shape every custom resource's conditions use.</summary>
public sealed class Condition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "Unknown";
    public long? ObservedGeneration { get; set; }
    public DateTimeOffset LastTransitionTime { get; set; }
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
}

public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LabelSelectorRequirement
{
    public string Key { get; set; } = "";
    public string Operator { get; set; } = "";
    public List<string>? Values { get; set; }
}
