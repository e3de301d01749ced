using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConnectorOperator.Kubernetes.Models;

/// <summary>Anything the API server stores: apiVersion, kind and metadata.</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }
    string? Kind { get; set; }
    ObjectMeta Metadata { get; set; }
}

public sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? GenerateName { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public long? Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public long? DeletionGracePeriodSeconds { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<OwnerReference>? OwnerReferences { get; set; }
    public List<string>? Finalizers { get; set; }
    public List<JsonElement>? ManagedFields { get; set; }
}

public sealed class OwnerReference
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = "";
    public bool? Controller { get; set; }
    public bool? BlockOwnerDeletion { get; set; }
}

public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }
    public long? RemainingItemCount { get; set; }
}

/// <summary>A list response; <c>items</c> typed by the element kind.</summary>
public sealed class KubernetesList<T>
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ListMeta Metadata { get; set; } = new();
    public List<T> Items { get; set; } = [];
}

/// <summary>metadata.k8s.io PartialObjectMetadata: an object without its spec, status or data.</summary>
public sealed class PartialObjectMetadata : IKubernetesObject
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A custom resource whose spec and status are typed by the caller.</summary>
public class CustomResource<TSpec, TStatus> : IKubernetesObject
    where TSpec : new()
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMeta Metadata { get; set; } = new();
    public TSpec Spec { get; set; } = new();
    public TStatus? Status { get; set; }
}

public static class ObjectMetaExtensions
{
    /// <summary>The ownerReference with controller=true, if any.</summary>
    public static OwnerReference? ControllerReference(this ObjectMeta meta) =>
        meta.OwnerReferences?.Find(o => o.Controller == true);

    public static bool HasFinalizer(this ObjectMeta meta, string finalizer) =>
        meta.Finalizers?.Contains(finalizer) == true;
}
